using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graft.Import.TfJs;

/// <summary>
/// Parses untrusted JSON with a nesting limit and refuses duplicate keys. System.Text.Json's JsonNode keeps
/// the last duplicate silently (or throws a bare ArgumentException later), which would let a file say two
/// different things about one layer; here both faults become a <see cref="ModelFormatException"/> up front.
/// </summary>
internal static class StrictJson
{
    /// <summary>Deep enough for any real Keras topology (nested configs reach about 12), far below stack limits.</summary>
    public const int MaxDepth = 256;

    public static JsonNode Parse(ReadOnlySpan<byte> utf8, string filePath)
    {
        var options = new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow };
        CheckStructure(utf8, options, filePath);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth })
                ?? throw new ModelFormatException(filePath, null, "the file holds JSON null instead of an object.");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(filePath, null, $"invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>One streaming pass: syntax, depth and duplicate keys, with the path of the offending key.</summary>
    private static void CheckStructure(ReadOnlySpan<byte> utf8, JsonReaderOptions options, string filePath)
    {
        var reader = new Utf8JsonReader(utf8, options);
        var keys = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        keys.Push(null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        keys.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (!keys.Peek()!.Add(name))
                            throw new ModelFormatException(filePath, null,
                                $"duplicate key \"{name}\" in one JSON object (at byte {reader.TokenStartIndex}); the file is ambiguous, so it is refused.");
                        break;
                }
            }
        }
        catch (JsonException e) when (keys.Count >= MaxDepth - 1)
        {
            throw new ModelFormatException(filePath, null,
                $"JSON nested deeper than {MaxDepth} levels; no model file needs that, so it is refused as malformed.", e);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(filePath, null, $"invalid JSON: {e.Message}", e);
        }
    }
}
