using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Graft.Import.TfJs;

/// <summary>
/// Reads the one value a browserify-wrapped CommonJS module exports (<c>a.exports={...}</c> or
/// <c>h.exports="base64"</c>), as nsfwjs packages its model.min.js and group*-shard*.min.js files. The file is
/// searched for the assignment and the literal is parsed; the JavaScript around it is never run.
/// </summary>
internal static class BrowserifyModule
{
    /// <summary>The exported object literal, converted to JSON (UTF-8).</summary>
    public static byte[] ReadObject(string filePath)
    {
        var bytes = ReadBytes(filePath);
        int start = FindExport(bytes, filePath, (byte)'{');
        // Only the literal is decoded to text; the JavaScript before it is never interpreted.
        var text = Encoding.UTF8.GetString(bytes.AsSpan(start));
        return JsLiteral.ToJson(text, 0, filePath, out _);
    }

    /// <summary>The exported string literal decoded from base64 (weight shards: megabytes, so decoded straight from the bytes).</summary>
    public static byte[] ReadBase64(string filePath)
    {
        var bytes = ReadBytes(filePath);
        int start = FindExport(bytes, filePath, (byte)'"', (byte)'\'');
        byte quote = bytes[start];
        var body = bytes.AsSpan(start + 1);
        int end = body.IndexOfAny(quote, (byte)'\\');
        if (end < 0 || body[end] != quote)
            throw new ModelFormatException(filePath, null, "the exported string is unterminated or holds escapes; expected a plain base64 literal.");
        body = body[..end];
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(body.Length)];
        var status = Base64.DecodeFromUtf8(body, decoded, out int consumed, out int written);
        if (status != OperationStatus.Done)
            throw new ModelFormatException(filePath, null, $"the exported string is not valid base64 (at character {consumed} of {body.Length}).");
        return written == decoded.Length ? decoded : decoded[..written];
    }

    private static byte[] ReadBytes(string filePath)
    {
        if (!File.Exists(filePath)) throw new ModelFormatException(filePath, null, "file not found.");
        return File.ReadAllBytes(filePath);
    }

    /// <summary>Position of the literal assigned by the file's single `.exports = ` whose value opens with one of <paramref name="openers"/>.</summary>
    private static int FindExport(ReadOnlySpan<byte> text, string filePath, params byte[] openers)
    {
        ReadOnlySpan<byte> marker = ".exports"u8;
        int found = -1, count = 0, from = 0;
        while (true)
        {
            int i = text[from..].IndexOf(marker);
            if (i < 0) break;
            int p = from + i + marker.Length;
            from = p;
            while (p < text.Length && IsSpace(text[p])) p++;
            if (p >= text.Length || text[p] != '=' || (p + 1 < text.Length && text[p + 1] == '=')) continue;
            p++;
            while (p < text.Length && IsSpace(text[p])) p++;
            if (p >= text.Length || Array.IndexOf(openers, text[p]) < 0) continue;
            found = p;
            count++;
        }
        if (count == 1) return found;
        throw new ModelFormatException(filePath, null, count == 0
            ? $"no `exports = {(char)openers[0]}...` assignment found; this is not an nsfwjs-style packaged model file."
            : $"{count} exported literals found where one was expected; refusing to guess which holds the model.");
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';
}
