using System.Text.RegularExpressions;

namespace Graft.Import.TfJs;

/// <summary>
/// Reads the one value a browserify-wrapped CommonJS module exports (<c>a.exports={...}</c> or
/// <c>h.exports="base64"</c>), as nsfwjs packages its model.min.js and group*-shard*.min.js files. The file is
/// searched for the assignment and the literal is parsed; the JavaScript around it is never run.
/// </summary>
internal static partial class BrowserifyModule
{
    [GeneratedRegex(@"\.exports\s*=\s*(?=[{""'])")]
    private static partial Regex ExportAssignment();

    /// <summary>The exported object literal, converted to JSON (UTF-8).</summary>
    public static byte[] ReadObject(string filePath)
    {
        var text = ReadText(filePath);
        int start = FindExport(text, filePath, '{');
        var json = JsLiteral.ToJson(text, start, filePath, out _);
        return json;
    }

    /// <summary>The exported string literal decoded from base64.</summary>
    public static byte[] ReadBase64(string filePath)
    {
        var text = ReadText(filePath);
        int start = FindExport(text, filePath, '"', '\'');
        var s = JsLiteral.ReadString(text, start, filePath, out _);
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException e)
        {
            throw new ModelFormatException(filePath, null, $"the exported string is not valid base64 ({s.Length} characters): {e.Message}", e);
        }
    }

    private static string ReadText(string filePath)
    {
        if (!File.Exists(filePath)) throw new ModelFormatException(filePath, null, "file not found.");
        return File.ReadAllText(filePath);
    }

    private static int FindExport(string text, string filePath, params char[] openers)
    {
        int found = -1, count = 0;
        foreach (Match m in ExportAssignment().Matches(text))
        {
            int at = m.Index + m.Length;
            if (Array.IndexOf(openers, text[at]) < 0) continue;
            found = at;
            count++;
        }
        if (count == 1) return found;
        throw new ModelFormatException(filePath, null, count == 0
            ? $"no `exports = {openers[0]}...` assignment found; this is not an nsfwjs-style packaged model file."
            : $"{count} exported literals found where one was expected; refusing to guess which holds the model.");
    }
}
