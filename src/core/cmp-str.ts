// The one string order for sorting what is committed or compared across machines: by UTF-16 code
// units, as `<` compares, independent of the locale (localeCompare is not). Pure.

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
