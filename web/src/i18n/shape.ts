import type { Strings } from './en';

/** The English tree with every leaf widened to string: what each translation must provide. */
export type StringsShape = { [K in keyof Strings]: Widen<Strings[K]> };
type Widen<T> = T extends string ? string : { [K in keyof T]: Widen<T[K]> };
