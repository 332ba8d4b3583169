/** Slow, salted password hashing (scrypt locally); verify is constant-time. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}
