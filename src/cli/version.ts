/** crashlab's version (package.json's), and the file `npm pack` makes of it: what an instructor hands out while the package is not on a registry. */
export const VERSION = '0.1.0';
export const PACKED_FILE = `crashlab-${VERSION}.tgz`;
