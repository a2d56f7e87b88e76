// language-tags 2.x ships no types; the part of its API this project uses.
declare module 'language-tags' {
  interface LanguageTagError {
    code: number;
    message: string;
  }
  interface LanguageTag {
    valid(): boolean;
    errors(): LanguageTagError[];
  }
  export function tags(tag: string): LanguageTag;
  export function check(tag: string): boolean;
}
