// Runs the gateway's TypeScript sources in a child process (the document reader) when the parent
// itself runs from source (jest, tsx). Unlike tsx, it transforms only our own .ts files: tsx also
// passes every library through esbuild, which grew the reader child from 84 to 527 MB for pdf.js.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
