/** Reports: creating them (`create.ts`) and every status change (`lifecycle.ts`). */
export * from './create';
export * from './lifecycle';
