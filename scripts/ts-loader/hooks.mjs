// Module hooks (node:module register): `.js` specifiers of our sources resolve to their `.ts`
// files, which esbuild strips of types. Everything under node_modules loads untouched.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

function isOwnSource(url) {
  return url.startsWith('file:') && !url.includes('/node_modules/');
}

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('file:');
    if (
      error?.code === 'ERR_MODULE_NOT_FOUND' &&
      relative &&
      specifier.endsWith('.js') &&
      isOwnSource(context.parentURL ?? '')
    ) {
      return next(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw error;
  }
}

export async function load(url, context, next) {
  if (isOwnSource(url) && url.endsWith('.ts')) {
    const file = fileURLToPath(url);
    const { code } = await transform(await readFile(file, 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: file,
      sourcemap: 'inline',
    });
    return { format: 'module', source: code, shortCircuit: true };
  }
  return next(url, context);
}
