import { ModelError } from '../model/types.js';

/** A model failure, remembering whether text was already shown. */
export class ModelFailure extends Error {
  constructor(
    readonly error: ModelError,
    readonly partial: boolean,
  ) {
    super(error.message, { cause: error });
    this.name = 'ModelFailure';
  }
}

/** Any error of a model call as a ModelFailure (an unexpected one is 'unknown', its cause logged). */
export function asModelFailure(err: unknown, partial: boolean): ModelFailure {
  if (err instanceof ModelError) return new ModelFailure(err, partial);
  return new ModelFailure(ModelError.of('unknown', 'modelError.unexpected', undefined, { cause: err }), partial);
}
