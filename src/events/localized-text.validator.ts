import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';

/** Why a localized map is malformed, or null. Locale keys are checked against the catalog later, by the parser. */
export function localizedTextProblem(name: string, value: unknown, maxLength: number): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${name} must be an object of texts keyed by locale`;
  }
  const entries = Object.entries(value);
  if (!entries.length) return `${name} must contain at least one locale`;
  for (const [locale, text] of entries) {
    if (typeof text !== 'string') return `${name}.${locale} must be a string`;
    // Counted in code points, as a reader counts characters.
    if (!text.trim() || [...text].length > maxLength) {
      return `${name}.${locale} must be 1 to ${maxLength} characters`;
    }
  }
  return null;
}

/** `{ "es-CO": "…", "en": "…" }` with non-blank texts of at most maxLength characters. */
export function IsLocalizedText(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isLocalizedText',
      target: target.constructor,
      propertyName: propertyName.toString(),
      constraints: [maxLength],
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          localizedTextProblem(args.property, value, maxLength) === null,
        defaultMessage: (args: ValidationArguments) =>
          localizedTextProblem(args.property, args.value, maxLength) ?? `${args.property} is invalid`,
      },
    });
}
