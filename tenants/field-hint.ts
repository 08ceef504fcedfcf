/** The hint type of tenants/schema.ts, in its own module so that tenants/kinds.ts can use it without an import cycle. */

/** What a validation error says about a field: the values allowed and how to fix a bad one. */
export interface FieldHint {
  readonly allowed: string;
  readonly fix: string;
  /** A fix written for the refused value, when the value says what is wrong (e.g. uppercase letters). @default `fix` */
  readonly fixFor?: (value: unknown) => string | undefined;
}
