/**
 * An error whose message is written for the person running Sightline: it says what is wrong
 * and what to do, so edges print the message alone, without the class name or a stack.
 */
export class UserFacingError extends Error {}
