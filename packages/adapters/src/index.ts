// The public API of @trieste/adapters (Node only): an explicit list of named exports.
export { generatePrivateJwk, importPrivateKey, importPublicKey, nodeCrypto, nodeSigner } from './crypto/node-crypto.js';
