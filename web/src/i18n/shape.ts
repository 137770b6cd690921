/**
 * An area's English tree with every leaf widened to string: what each translation of that area must provide.
 * `const ja: Shape<Strings> = {…}` makes a missing or extra key a compile error.
 */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
