using Graft.Bench.Networks;
using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;
using Graft.Tests.Kernels;

namespace Graft.Tests.Graph;

/// <summary>The inference plan gives Model.Forward's outputs (inference mode) within 1e-4 relative, whatever it fuses.</summary>
public class InferencePlanTests
{
    [Fact]
    public void MobileNetV2ShapedMatchesForward()
    {
        var model = ShapedNetworks.MobileNetV2(size: 64, alpha: 0.5f, seed: 3);
        var plan = InferencePlan.Compile(model);
        var x = ShapedNetworks.RandomImages(3, model.Inputs[0].Shape, seed: 4);
        AssertSame(model, plan, x);
        // Every conv → BN → ReLU6 chain and every residual Add is fused; nothing falls back but the head.
        Assert.Contains(plan.Steps, s => s.Contains("residual Add") && s.Contains("BN"));
        Assert.Contains(plan.Steps, s => s.StartsWith("DepthwiseConv2D") && s.Contains("← pad") && s.Contains("ReLU6"));
        var (fused, calls) = plan.FusionCounts;
        Assert.Equal(2, calls); // global average pooling and the Dense head
        Assert.Equal(101, fused); // 52 BNs, 35 ReLU6s, 4 paddings and 10 Adds
    }

    [Fact]
    public void MobileNetV2FeaturesMatchForwardBeforeAndAfterBatchChange()
    {
        var model = ShapedNetworks.MobileNetV2(size: 48, alpha: 0.35f, classes: 0, seed: 5);
        var plan = InferencePlan.Compile(model);
        foreach (int batch in new[] { 2, 5, 1 })
            AssertSame(model, plan, ShapedNetworks.RandomImages(batch, model.Inputs[0].Shape, seed: batch));
        // Far fewer activation buffers than values: a chain network needs about three.
        Assert.True(plan.ActivationFloats(1) < 4 * 24 * 24 * 96, $"activation floats per sample: {plan.ActivationFloats(1)}");
    }

    [Fact]
    public void InceptionV3ShapedMatchesForward()
    {
        var model = ShapedNetworks.InceptionV3(size: 75, classes: 3, seed: 7);
        var plan = InferencePlan.Compile(model);
        AssertSame(model, plan, ShapedNetworks.RandomImages(2, model.Inputs[0].Shape, seed: 8));
    }

    [Fact]
    public void RefreshPicksUpChangedWeights()
    {
        var model = ShapedNetworks.MobileNetV2(size: 32, alpha: 0.35f, seed: 1);
        var plan = InferencePlan.Compile(model);
        var x = ShapedNetworks.RandomImages(2, model.Inputs[0].Shape, seed: 2);
        var before = plan.Run(x).ToArray();
        ShapedNetworks.RandomizeStatistics(model, seed: 99);
        plan.Refresh();
        var after = plan.Run(x).ToArray();
        Assert.NotEqual(before, after);
        AssertSame(model, plan, x);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomGraphsMatchForward(int seed)
    {
        var model = RandomGraph(seed);
        var plan = InferencePlan.Compile(model);
        foreach (int batch in new[] { 2, 3 })
            AssertSame(model, plan, ShapedNetworks.RandomImages(batch, model.Inputs[0].Shape, seed: seed + batch));
    }

    public static IEnumerable<object[]> Seeds => Enumerable.Range(0, 24).Select(s => new object[] { s });

    [Fact]
    public void InputIsNotOverwrittenAndShapesAreChecked()
    {
        var model = RandomGraph(1);
        var plan = InferencePlan.Compile(model);
        var x = ShapedNetworks.RandomImages(2, model.Inputs[0].Shape, seed: 1);
        var copy = x.ToArray();
        plan.Run(new[] { x });
        Assert.Equal(copy, x.ToArray());
        Assert.Throws<ShapeMismatchException>(() => plan.Run(new[] { new Tensor(new Shape(2, 3, 3, 1)) }));
    }

    private static void AssertSame(Model model, InferencePlan plan, Tensor x)
    {
        var expected = model.Forward(new[] { x }, training: false).Select(t => t.ToArray()).ToArray();
        var actual = plan.Run(new[] { x });
        Assert.Equal(expected.Length, actual.Length);
        for (int o = 0; o < expected.Length; o++)
        {
            float scale = Math.Max(1f, expected[o].Max(MathF.Abs));
            var e = expected[o].Select(v => v / scale).ToArray();
            var a = actual[o].ToArray().Select(v => v / scale).ToArray();
            ConvAssert.Close(e, a, 1e-4f, $"output {o} of {model.Name}:\n  {string.Join("\n  ", plan.Steps)}\n");
        }
    }

    /// <summary>
    /// A random DAG over small images: conv / depthwise (with every padding, stride, bias and activation), BN,
    /// ReLU family, ZeroPadding2D, Add and Concatenate of earlier nodes, values read by several layers, and a
    /// second model output taken from the middle.
    /// </summary>
    internal static Model RandomGraph(int seed)
    {
        var rng = new Random(seed);
        var input = LayerCalls.Input(10, 9, 1 + rng.Next(5));
        var nodes = new List<Node> { input };
        Node Pick() => nodes[Math.Max(0, nodes.Count - 1 - rng.Next(Math.Min(4, nodes.Count)))];
        ActivationKind Act() => new[] { ActivationKind.Linear, ActivationKind.Linear, ActivationKind.Relu, ActivationKind.Relu6, ActivationKind.Sigmoid }[rng.Next(5)];
        Padding2D Pad(Node n) => n.Shape[0] >= 3 && n.Shape[1] >= 3 && rng.Next(2) == 0 ? Padding2D.Valid : Padding2D.Same;
        int Stride(Node n) => n.Shape[0] >= 6 && n.Shape[1] >= 6 && rng.Next(3) == 0 ? 2 : 1;
        for (int i = 0; i < 14; i++)
        {
            var x = Pick();
            Node y;
            switch (rng.Next(9))
            {
                case 0:
                case 1:
                {
                    int k = rng.Next(2) == 0 ? 1 : 3;
                    y = new Conv2D(1 + rng.Next(20), k, Stride(x), k == 1 ? Padding2D.Valid : Pad(x), useBias: rng.Next(2) == 0, activation: Act()).Call(rng, x);
                    if (rng.Next(3) > 0) y = new BatchNormalization().Call(rng, y);
                    if (rng.Next(2) == 0) y = new ReLU(rng.Next(2) == 0 ? 6f : null).Call(y);
                    break;
                }
                case 2:
                    y = new DepthwiseConv2D(3, Stride(x), Pad(x), depthMultiplier: rng.Next(4) == 0 ? 2 : 1,
                        useBias: rng.Next(2) == 0, activation: Act()).Call(rng, x);
                    y = new BatchNormalization().Call(rng, y);
                    if (rng.Next(2) == 0) y = new Activation(ActivationKind.Relu6).Call(y);
                    break;
                case 3:
                    y = new ZeroPadding2D(rng.Next(2), 1, rng.Next(2), 1).Call(x);
                    if (rng.Next(2) == 0)
                        y = new DepthwiseConv2D(3, Stride(y), Padding2D.Valid, useBias: false).Call(rng, y);
                    break;
                case 4:
                    y = new BatchNormalization().Call(rng, x);
                    if (rng.Next(2) == 0) y = new ReLU(negativeSlope: rng.Next(2) * 0.1f).Call(y);
                    break;
                case 5:
                case 6:
                {
                    var same = nodes.Where(n => n.Shape == x.Shape && n != x).ToList();
                    if (same.Count == 0)
                    {
                        // A residual block on x: project conv + BN, added back.
                        var p = new Conv2D(x.Shape[-1], 1, useBias: false).Call(rng, x);
                        p = new BatchNormalization().Call(rng, p);
                        y = new Add().Call(x, p);
                    }
                    else y = new Add().Call(same.Take(1 + rng.Next(2)).Append(x).ToArray());
                    if (rng.Next(2) == 0) y = new ReLU().Call(y);
                    break;
                }
                case 7:
                {
                    var parts = nodes.Where(n => n.Shape[0] == x.Shape[0] && n.Shape[1] == x.Shape[1]).Reverse().Take(1 + rng.Next(3)).ToArray();
                    y = parts.Length >= 2 ? new Concatenate().Call(parts) : new ReLU(6f).Call(x);
                    break;
                }
                default:
                    y = new MaxPooling2D(2, 1, "same").Call(x);
                    break;
            }
            nodes.Add(y);
        }
        var outputs = new List<Node> { nodes[^1] };
        var middle = nodes[nodes.Count / 2];
        if (middle != nodes[^1] && middle != input) outputs.Add(middle);
        var model = new Model(new[] { input }, outputs, $"random_{seed}");
        ShapedNetworks.RandomizeStatistics(model, seed);
        return model;
    }
}
