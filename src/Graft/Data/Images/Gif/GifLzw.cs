namespace Graft.Data.Images.Gif;

/// <summary>GIF's variable-width LZW (codes of minCodeSize+1 up to 12 bits, clear and end codes) over data sub-blocks.</summary>
internal static class GifLzw
{
    /// <returns>The number of indices written; <paramref name="dataEnded"/> is true when the file ran out first.</returns>
    public static int Decode(ReadOnlySpan<byte> d, int p, int minCodeSize, Span<byte> output, out bool dataEnded)
    {
        int clear = 1 << minCodeSize, end = clear + 1;
        Span<short> prefix = stackalloc short[4096];
        Span<byte> suffix = stackalloc byte[4096];
        Span<byte> stack = stackalloc byte[4097];
        for (int i = 0; i < clear; i++) { prefix[i] = -1; suffix[i] = (byte)i; }
        int codeSize = minCodeSize + 1, next = clear + 2, previous = -1;
        byte first = 0;
        int bits = 0, bitCount = 0, written = 0, blockLeft = 0;
        dataEnded = false;
        while (written < output.Length)
        {
            while (bitCount < codeSize)
            {
                if (blockLeft == 0)
                {
                    if (p >= d.Length) { dataEnded = true; return written; }
                    blockLeft = d[p++];
                    if (blockLeft == 0) return written; // block terminator: the stream is over
                }
                if (p >= d.Length) { dataEnded = true; return written; }
                bits |= d[p++] << bitCount;
                bitCount += 8;
                blockLeft--;
            }
            int code = bits & ((1 << codeSize) - 1);
            bits >>= codeSize;
            bitCount -= codeSize;
            if (code == clear)
            {
                codeSize = minCodeSize + 1;
                next = clear + 2;
                previous = -1;
                continue;
            }
            if (code == end) return written;
            if (previous == -1)
            {
                if (code >= clear) return written; // a first code must be a literal
                output[written++] = (byte)code;
                first = (byte)code;
                previous = code;
                continue;
            }
            int top = 0, c = code;
            if (code >= next)
            {
                if (code > next) return written; // refers past the table: corrupt
                stack[top++] = first;
                c = previous;
            }
            while (c >= clear)
            {
                stack[top++] = suffix[c];
                c = prefix[c];
            }
            stack[top++] = (byte)c;
            first = (byte)c;
            while (top > 0 && written < output.Length) output[written++] = stack[--top];
            if (next < 4096)
            {
                prefix[next] = (short)previous;
                suffix[next] = first;
                next++;
                if (next == 1 << codeSize && codeSize < 12) codeSize++;
            }
            previous = code;
        }
        return written;
    }
}
