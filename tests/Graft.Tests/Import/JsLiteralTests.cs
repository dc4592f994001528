using System.Text;
using System.Text.Json.Nodes;
using Graft.Import.TfJs;

namespace Graft.Tests.Import;

public class JsLiteralTests
{
    private static JsonNode Convert(string js) => JsonNode.Parse(JsLiteral.ToJson(js, 0, "t.js", out _))!;

    [Fact]
    public void ReadsMinifiedLiterals()
    {
        var n = Convert("{a:!0,b:!1,'c d':[.5,-.25,1e-7,null],e:\"x\\\"y\\u0041\",$f:{}}");
        Assert.True(n["a"]!.GetValue<bool>());
        Assert.False(n["b"]!.GetValue<bool>());
        Assert.Equal(0.5, n["c d"]![0]!.GetValue<double>());
        Assert.Equal(-0.25, n["c d"]![1]!.GetValue<double>());
        Assert.Equal(1e-7, n["c d"]![2]!.GetValue<double>());
        Assert.Null(n["c d"]![3]);
        Assert.Equal("x\"yA", n["e"]!.GetValue<string>());
        Assert.Empty(n["$f"]!.AsObject());
    }

    [Theory]
    [InlineData("{a:foo()}", "code, not data")]
    [InlineData("{a:1,a:2}", "duplicate key")]
    [InlineData("{a:\"open", "unterminated")]
    [InlineData("{a:1", "expected '}'")]
    [InlineData("{a:Infinity}", "no JSON form")]
    public void RefusesWhatIsNotData(string js, string reason)
    {
        var e = Assert.Throws<ModelFormatException>(() => Convert(js));
        Assert.Contains(reason, e.Message);
        Assert.Equal("t.js", e.FilePath);
    }

    [Fact]
    public void RefusesDeepNestingWithoutOverflowingTheStack()
    {
        var js = new StringBuilder().Append('[', 10_000).Append(']', 10_000).ToString();
        var e = Assert.Throws<ModelFormatException>(() => Convert(js));
        Assert.Contains("nested deeper", e.Message);
    }
}
