// Module hooks for end-to-end tests: print every package the CLI's own code loads, one line each on stderr
// ("[package] name"), so a test can see which heavy modules a command pulled in.
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const fromPackage = (context.parentURL ?? '').includes('/node_modules/');
  const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url)?.[1];
  if (name && !fromPackage) process.stderr.write(`[package] ${name}\n`);
  return resolved;
}
