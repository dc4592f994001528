using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Graft.Import.TfJs;

/// <summary>
/// Converts a JavaScript object literal, as minifiers write it (unquoted keys, <c>!0</c>/<c>!1</c> for true/false,
/// <c>.5</c> for 0.5), into JSON text. This is a parser for a data subset of JavaScript, never an evaluator:
/// anything outside objects, arrays, strings, numbers, true/false/null is refused.
/// </summary>
internal ref struct JsLiteral
{
    private readonly ReadOnlySpan<char> _s;
    private readonly string _filePath;
    private int _pos;

    private JsLiteral(ReadOnlySpan<char> s, int start, string filePath)
    {
        _s = s;
        _pos = start;
        _filePath = filePath;
    }

    /// <summary>Converts the literal starting at <paramref name="start"/>; returns UTF-8 JSON and where the literal ends.</summary>
    public static byte[] ToJson(ReadOnlySpan<char> source, int start, string filePath, out int end)
    {
        var buffer = new ArrayBufferWriter<byte>(source.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = StrictJson.MaxDepth + 1, SkipValidation = false }))
        {
            var parser = new JsLiteral(source, start, filePath);
            parser.Value(writer, 0);
            end = parser._pos;
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void Value(Utf8JsonWriter w, int depth)
    {
        if (depth >= StrictJson.MaxDepth)
            throw Fail($"literal nested deeper than {StrictJson.MaxDepth} levels");
        SkipSpace();
        if (_pos >= _s.Length) throw Fail("the literal ends early");
        char c = _s[_pos];
        switch (c)
        {
            case '{':
                _pos++;
                w.WriteStartObject();
                var keys = new HashSet<string>(StringComparer.Ordinal);
                SkipSpace();
                if (Peek() == '}') { _pos++; w.WriteEndObject(); return; }
                while (true)
                {
                    SkipSpace();
                    string key = Peek() is '"' or '\'' ? String() : Identifier();
                    if (!keys.Add(key)) throw Fail($"duplicate key \"{key}\" in one object");
                    SkipSpace();
                    Expect(':');
                    w.WritePropertyName(key);
                    Value(w, depth + 1);
                    SkipSpace();
                    if (Peek() == ',') { _pos++; continue; }
                    Expect('}');
                    w.WriteEndObject();
                    return;
                }
            case '[':
                _pos++;
                w.WriteStartArray();
                SkipSpace();
                if (Peek() == ']') { _pos++; w.WriteEndArray(); return; }
                while (true)
                {
                    Value(w, depth + 1);
                    SkipSpace();
                    if (Peek() == ',') { _pos++; continue; }
                    Expect(']');
                    w.WriteEndArray();
                    return;
                }
            case '"' or '\'':
                w.WriteStringValue(String());
                return;
            case '!':
                // Minifiers write true as !0 and false as !1.
                _pos++;
                if (Peek() == '0') { _pos++; w.WriteBooleanValue(true); return; }
                if (Peek() == '1') { _pos++; w.WriteBooleanValue(false); return; }
                throw Fail("'!' is only understood in !0 and !1");
            default:
                if (c == '-' || c == '+' || c == '.' || char.IsAsciiDigit(c)) { w.WriteNumberValue(Number()); return; }
                var word = Identifier();
                switch (word)
                {
                    case "true": w.WriteBooleanValue(true); return;
                    case "false": w.WriteBooleanValue(false); return;
                    case "null": w.WriteNullValue(); return;
                    case "Infinity" or "NaN": throw Fail($"{word} has no JSON form");
                    default: throw Fail($"'{word}' is code, not data; only literals are read");
                }
        }
    }

    private double Number()
    {
        int start = _pos;
        if (Peek() is '-' or '+') _pos++;
        while (_pos < _s.Length && (char.IsAsciiDigit(_s[_pos]) || _s[_pos] == '.')) _pos++;
        if (_pos < _s.Length && _s[_pos] is 'e' or 'E')
        {
            _pos++;
            if (Peek() is '-' or '+') _pos++;
            while (_pos < _s.Length && char.IsAsciiDigit(_s[_pos])) _pos++;
        }
        var text = _s[start.._pos];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            throw Fail($"'{text}' is not a number");
        return d;
    }

    private string Identifier()
    {
        int start = _pos;
        while (_pos < _s.Length && (char.IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] is '_' or '$')) _pos++;
        if (_pos == start) throw Fail($"unexpected character '{(_pos < _s.Length ? _s[_pos] : ' ')}'");
        return _s[start.._pos].ToString();
    }

    private string String()
    {
        char quote = _s[_pos++];
        // Fast path: base64 weight strings are megabytes without escapes.
        int close = _s[_pos..].IndexOfAny(quote, '\\');
        if (close >= 0 && _s[_pos + close] == quote)
        {
            var plain = _s.Slice(_pos, close).ToString();
            _pos += close + 1;
            return plain;
        }
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _s.Length) throw Fail("unterminated string");
            char c = _s[_pos++];
            if (c == quote) return sb.ToString();
            if (c is '\n' or '\r') throw Fail("line break inside a string");
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= _s.Length) throw Fail("unterminated escape");
            char e = _s[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '0': sb.Append('\0'); break;
                case 'u':
                    if (_pos + 4 > _s.Length || !int.TryParse(_s.Slice(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var u))
                        throw Fail("bad \\u escape");
                    sb.Append((char)u);
                    _pos += 4;
                    break;
                case 'x':
                    if (_pos + 2 > _s.Length || !int.TryParse(_s.Slice(_pos, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var x))
                        throw Fail("bad \\x escape");
                    sb.Append((char)x);
                    _pos += 2;
                    break;
                default: sb.Append(e); break;
            }
        }
    }

    private char Peek() => _pos < _s.Length ? _s[_pos] : '\0';

    private void Expect(char c)
    {
        SkipSpace();
        if (Peek() != c) throw Fail($"expected '{c}'");
        _pos++;
    }

    private void SkipSpace()
    {
        while (_pos < _s.Length && char.IsWhiteSpace(_s[_pos])) _pos++;
    }

    private ModelFormatException Fail(string reason) =>
        new(_filePath, null, $"cannot read the JavaScript literal at character {_pos}: {reason}.");
}
