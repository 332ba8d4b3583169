/** Typed failures of SLO storage and editing; the API maps them to 404 / 409 once (http-errors). */
export class SloNotFoundError extends Error {
  override readonly name = "SloNotFoundError";
  constructor(readonly sloId: string) {
    super(`no SLO with id "${sloId}"`);
  }
}

export class SloExistsError extends Error {
  override readonly name = "SloExistsError";
  constructor(readonly sloId: string) {
    super(`an SLO with id "${sloId}" already exists`);
  }
}

/** Someone else saved the SLO since it was read: reload and edit again. */
export class SloVersionConflictError extends Error {
  override readonly name = "SloVersionConflictError";
  constructor(readonly sloId: string, readonly expectedVersion: number) {
    super(`SLO "${sloId}" was changed by someone else since version ${expectedVersion}; reload it and apply your change again`);
  }
}

export type SloError = SloNotFoundError | SloExistsError | SloVersionConflictError;
