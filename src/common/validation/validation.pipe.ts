import { Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from '../errors/domain-error';

/** Flattens class-validator's tree into `field: reason` pairs, with array indexes as `[i]`. */
function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const key = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const field = parent ? (key.startsWith('[') ? `${parent}${key}` : `${parent}.${key}`) : key;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/** `validateCustomDecorators`: for a parameter a custom decorator reads (an event unwrapped from a CloudEvent). */
export function createValidationPipe(options: { validateCustomDecorators?: boolean } = {}): ValidationPipe {
  return new ValidationPipe({
    ...options,
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.validation(toFieldErrors(errors)),
  });
}

/**
 * Validates a body Aviso built itself from another system's payload (an Alertmanager group, a CloudEvent) exactly
 * as the route's pipe would validate it had the caller sent it; failures name the fields under `prefix`.
 */
export async function validateAs<T extends object>(type: Type<T>, plain: object, prefix = ''): Promise<T> {
  const pipe = createValidationPipe();
  try {
    return (await pipe.transform(plain, { type: 'body', metatype: type })) as T;
  } catch (err) {
    if (!(err instanceof DomainError) || !prefix) throw err;
    throw DomainError.validation(err.errors.map((e) => ({ ...e, field: `${prefix}.${e.field}` })));
  }
}
