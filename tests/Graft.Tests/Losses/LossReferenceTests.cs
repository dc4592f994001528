using System.Text.Json;
using Graft.Losses;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Losses;

/// <summary>
/// Losses and gradients against PyTorch (Fixtures/optim/cross_entropy.json, from make_fixtures.py). Torch's
/// F.cross_entropy(weight=w) divides by Σ w[label] and weights the smoothing term per class; Keras's class_weight
/// weights the whole row by w[label] and divides by the number of rows. Graft follows Keras, so the script
/// weights torch's unreduced rows itself. Tolerance 1e-5 absolute: float32 arithmetic on O(1) values.
/// </summary>
public class LossReferenceTests
{
    private static readonly JsonElement s_fixture =
        JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("optim", "cross_entropy.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();
    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < s_fixture.GetProperty("cases").GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void MatchesTorch(int index)
    {
        var c = s_fixture.GetProperty("cases")[index];
        string kind = c.GetProperty("loss").GetString()!;
        float ls = c.GetProperty("label_smoothing").GetSingle();
        var weights = c.GetProperty("weighted").GetBoolean() ? Floats(s_fixture.GetProperty("class_weights")) : null;
        int classes = s_fixture.GetProperty("classes").GetInt32();
        (ILoss loss, string input, string labels, int width) = kind switch
        {
            "softmax" => ((ILoss)new SoftmaxCrossEntropy(ls, weights), "logits", "labels", classes),
            "categorical" => (new CategoricalCrossEntropy(ls, weights), "probs", "labels", classes),
            "binary_logits" => (new BinaryCrossEntropy(fromLogits: true, ls), "binary_logits", "binary_targets", 3),
            _ => (new BinaryCrossEntropy(fromLogits: false, ls), "binary_probs", "binary_targets", 3),
        };
        var values = Floats(s_fixture.GetProperty(input));
        var x = Tensor.FromArray(values, values.Length / width, width);
        var grad = new Tensor(x.Shape);
        float value = loss.Compute(x, Ints(s_fixture.GetProperty(labels)), grad);
        var expected = Floats(c.GetProperty("grad"));
        string where = $"{kind} ls={ls} weighted={weights is not null}";
        Assert.True(Math.Abs(value - c.GetProperty("value").GetSingle()) < 1e-5, $"{where}: loss {value} vs torch {c.GetProperty("value").GetSingle()}");
        float maxDiff = expected.Select((e, i) => Math.Abs(e - grad[i])).Max();
        Assert.True(maxDiff < 1e-5, $"{where}: gradient max |diff| {maxDiff:G3}; first values {string.Join(", ", grad.ToArray().Take(5))} vs {string.Join(", ", expected.Take(5))}");
    }
}
