/**
 * The columnar snapshot's layout (docs/snapshot-formats.md): one Apache Arrow IPC file whose
 * table has one row per position, in book order (market id, then account), and whose schema
 * metadata holds every other field of the document as JSON. When the document lists its
 * positions in another order, a `document_index` column gives each row's place in it.
 */

/** Schema metadata key: the document without `positions`, as JSON text. */
export const HEADER_KEY = "cascade-snapshot.header";
/** Schema metadata key: the layout version of this file. */
export const LAYOUT_KEY = "cascade-snapshot.layout";
export const LAYOUT_VERSION = "1";
/** Field metadata key of an `account` column stored as 20 bytes: the text is `0x` + lowercase hex. */
export const ACCOUNT_ENCODING_KEY = "cascade-snapshot.encoding";
export const ADDRESS_ENCODING = "address-lowercase-hex";

/** Column names. */
export const MARKET = "market";
export const ACCOUNT = "account";
export const COLLATERAL = "collateral";
export const DEBT = "debt";
export const EMODE = "emode";
export const DYNAMIC_CONFIG = "dynamic_config";
export const DOCUMENT_INDEX = "document_index";
/** Struct fields of a `collateral` or `debt` list item. */
export const ASSET = "asset";
export const AMOUNT = "amount";

/** Arrow IPC files start with these 6 bytes (`ARROW1`). */
const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/** Whether `bytes` start like an Arrow IPC file (else the snapshot is read as JSON). */
export function isArrowFile(bytes: Uint8Array): boolean {
  return ARROW_MAGIC.every((byte, i) => bytes[i] === byte);
}
