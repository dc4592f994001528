using System.Text.Json;
using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Optimizers;

/// <summary>
/// A 4-5-3 tanh MLP trained 5 full-batch steps with softmax cross-entropy, here and by torch.optim
/// (Fixtures/optim/optimizers.json, from make_fixtures.py), from the same weights. The losses of every step and
/// the final weights must agree to 2e-5 + 1e-4 relative: the forward passes differ by float32 rounding
/// (~1e-7), which five steps of Adam's normalised updates amplify to a few 1e-6 at most, while a wrong rule
/// (decay coupled vs decoupled, missed bias correction, Nesterov term) moves weights by ~1e-3.
/// </summary>
public class TorchReferenceTests
{
    private static readonly JsonElement s_fixture =
        JsonDocument.Parse(File.ReadAllText(SharedData.Fixture("optim", "optimizers.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in s_fixture.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void WeightsAfterFiveStepsMatchTorch(string name)
    {
        var c = s_fixture.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var h = c.GetProperty("hyper");
        float Get(string key, float fallback) => h.TryGetProperty(key, out var v) ? v.GetSingle() : fallback;

        var model = Model.Sequential(new Shape(4), new Dense(5, ActivationKind.Tanh, name: "hidden"), new Dense(3, name: "out"));
        var arena = model.CreateArena();
        foreach (var p in model.Parameters) Floats(s_fixture.GetProperty("init").GetProperty(p.FullName)).CopyTo(p.Value.Span);
        float lr = Get("lr", 0), wd = Get("weight_decay", 0), eps = Get("eps", 1e-8f);
        float beta1 = Get("beta1", 0.9f), beta2 = Get("beta2", 0.999f);
        Optimizer opt = name switch
        {
            "sgd" or "sgd_momentum" or "sgd_nesterov" =>
                new Sgd(arena, lr, Get("momentum", 0), h.TryGetProperty("nesterov", out var n) && n.GetBoolean(), wd),
            "adam" or "adam_l2" => new Adam(arena, lr, beta1, beta2, eps, wd),
            "adamw" => new AdamW(arena, lr, wd, beta1, beta2, eps),
            "adamw_groups" => new AdamW(arena, lr, wd, beta1, beta2, eps, groups: new[]
            {
                new ParameterGroup("hidden_bias", p => p.FullName == "hidden/bias", Get("hidden_lr_multiplier", 1), Get("bias_weight_decay", 0)),
                ParameterGroup.ForLayers("hidden", new[] { "hidden" }, Get("hidden_lr_multiplier", 1)),
                new ParameterGroup("bias", p => p.Name == "bias", weightDecay: Get("bias_weight_decay", 0)),
            }),
            _ => throw new InvalidOperationException($"No optimizer for fixture case '{name}'."),
        };

        var x = Tensor.FromArray(Floats(s_fixture.GetProperty("x")), 8, 4);
        var labels = s_fixture.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var loss = new SoftmaxCrossEntropy();
        var grad = new Tensor(new Shape(8, 3));
        var torchLosses = Floats(c.GetProperty("losses"));
        for (int step = 0; step < s_fixture.GetProperty("steps").GetInt32(); step++)
        {
            opt.ZeroGrad();
            float l = loss.Compute(model.Forward(x, training: true), labels, grad);
            Assert.True(Math.Abs(l - torchLosses[step]) < 2e-5, $"{name} step {step}: loss {l} vs torch {torchLosses[step]}");
            model.Backward(grad);
            opt.Step();
        }
        foreach (var p in model.Parameters)
        {
            var expected = Floats(c.GetProperty("params").GetProperty(p.FullName));
            var actual = p.Value.ToArray();
            var diffs = expected.Select((e, i) => Math.Abs(e - actual[i]) - 1e-4f * Math.Abs(e)).ToArray();
            Assert.True(diffs.Max() < 2e-5f,
                $"{name} {p.FullName}: max excess |diff| {diffs.Max():G3}; got {string.Join(", ", actual.Take(4))} vs torch {string.Join(", ", expected.Take(4))}");
        }
    }
}
