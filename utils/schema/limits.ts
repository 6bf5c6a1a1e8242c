/**
 * Limits of the report's fields that forms show to the user as well as the schemas enforce.
 * Plain numbers, apart from the schemas, so a form's first screen states them without loading
 * the schema library.
 */
export const EXPLANATION_MAX = 5000;
