/** The thin seam over runtime-specific fast paths (Bun/Node Buffer methods), with web-standard fallbacks. */

type SliceFn = (this: Uint8Array, start: number, end: number) => string;

interface BufferPrototypeLike {
  latin1Slice?: SliceFn;
  utf8Slice?: SliceFn;
}

const bufferProto: BufferPrototypeLike | undefined = (globalThis as { Buffer?: { prototype: BufferPrototypeLike } }).Buffer?.prototype;

const nativeLatin1: SliceFn | undefined = bufferProto?.latin1Slice;
const nativeUtf8: SliceFn | undefined = bufferProto?.utf8Slice;
const utf8Decoder = new TextDecoder("utf-8");

/**
 * Decodes bytes [start, end) of `u8` as Latin-1 (one char per byte). Callers use it only for
 * bytes known to be ASCII, where Latin-1 and UTF-8 agree.
 */
export const latin1Slice: (u8: Uint8Array, start: number, end: number) => string = nativeLatin1
  ? (u8, start, end) => nativeLatin1.call(u8, start, end)
  : (u8, start, end) => {
      let s = "";
      for (let i = start; i < end; i += 4096) {
        s += String.fromCharCode.apply(null, u8.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
      }
      return s;
    };

/** Decodes bytes [start, end) of `u8` as UTF-8; malformed sequences become U+FFFD. */
export const utf8Slice: (u8: Uint8Array, start: number, end: number) => string = nativeUtf8
  ? (u8, start, end) => nativeUtf8.call(u8, start, end)
  : (u8, start, end) => utf8Decoder.decode(u8.subarray(start, end));
