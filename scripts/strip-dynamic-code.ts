// A Vite plugin for the extension build: removes code paths that web-ext lint (and Manifest V3's content
// security policy) reject, and that the extension never takes. Each replacement must match exactly once,
// so a library upgrade that moves the code fails the build instead of shipping it silently.
import type { Plugin } from 'vite';

interface Replacement {
  file: RegExp;
  from: string;
  to: string;
  why: string;
}

const REPLACEMENTS: Replacement[] = [
  {
    file: /zod\/v4\/core\/util\.js$/,
    from: 'const F = Function;\n        new F("");\n        return true;',
    to: 'return false;',
    why: "zod's eval probe: MV3 forbids eval, so the probe would answer false anyway",
  },
  {
    file: /zod\/v4\/core\/doc\.js$/,
    from: 'const F = Function;',
    to: 'const F = undefined; // unreachable: allowsEval is false in the extension',
    why: "zod's JIT compiler, used only when eval is allowed",
  },
  {
    file: /zod\/v4\/core\/compile\.js$/,
    from: 'const F = Function;',
    to: 'const F = undefined; // unreachable: allowsEval is false in the extension',
    why: "zod's JIT compiler, used only when eval is allowed",
  },
  {
    file: /preact\/dist\/preact\.module\.js$/,
    from: '(u.innerHTML=h.__html)',
    to: '(void 0)',
    why: 'dangerouslySetInnerHTML, which this extension never uses (and its lint forbids)',
  },
];

export function stripDynamicCode(): Plugin {
  return {
    name: 'agency-overlay:strip-dynamic-code',
    enforce: 'pre',
    transform(code, id) {
      const path = id.split('?')[0]!;
      let out = code;
      for (const r of REPLACEMENTS) {
        if (!r.file.test(path)) continue;
        const count = out.split(r.from).length - 1;
        if (count !== 1) {
          throw new Error(
            `strip-dynamic-code: expected one "${r.from}" in ${path} (${r.why}), found ${count}`,
          );
        }
        out = out.replace(r.from, r.to);
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}
