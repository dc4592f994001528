using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Bench.Networks;

/// <summary>
/// Networks with the layer structure and shapes of well-known models, built from Graft layers with random
/// weights. Speed depends on shapes only, so these stand in for the zoo models in benchmarks, and the tests
/// use small versions of them to check the inference plan against Model.Forward. Linked into the test project.
/// </summary>
public static class ShapedNetworks
{
    /// <summary>
    /// Keras's MobileNetV2 (applications/mobilenet_v2.py) at width 1.0 by default: Conv1 stride 2 + BN + ReLU6,
    /// 17 inverted residual blocks (1×1 expand, ZeroPadding2D + 'valid' depthwise at stride 2 or 'same' at
    /// stride 1, 1×1 project, Add where shapes allow), Conv_1 to 1280 + BN + ReLU6, then global average pooling
    /// and a Dense head of <paramref name="classes"/> logits (no head when 0).
    /// </summary>
    public static Model MobileNetV2(int size = 224, int classes = 5, float alpha = 1f, int seed = 0)
    {
        var rng = new Random(seed);
        var input = LayerCalls.Input(size, size, 3);
        int first = MakeDivisible(32 * alpha);
        var x = new Conv2D(first, 3, strides: 2, padding: Padding2D.Same, useBias: false, name: "Conv1").Call(rng, input);
        x = Bn("bn_Conv1", x, rng);
        x = new ReLU(6f, name: "Conv1_relu").Call(x);

        var blocks = new (int Filters, int Stride, int Expansion)[]
        {
            (16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6), (64, 1, 6), (64, 1, 6),
            (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6),
        };
        for (int id = 0; id < blocks.Length; id++)
            x = InvertedResidual(x, blocks[id].Expansion, blocks[id].Stride, MakeDivisible(blocks[id].Filters * alpha), id, rng);

        int last = alpha > 1f ? MakeDivisible(1280 * alpha) : 1280;
        x = new Conv2D(last, 1, useBias: false, name: "Conv_1").Call(rng, x);
        x = Bn("Conv_1_bn", x, rng);
        x = new ReLU(6f, name: "out_relu").Call(x);
        if (classes > 0)
        {
            x = new GlobalAveragePooling2D(name: "global_average_pooling2d").Call(x);
            x = new Dense(classes, name: "predictions").Call(rng, x);
        }
        var model = new Model(input, x, "mobilenet_v2_shaped");
        RandomizeStatistics(model, seed + 1);
        return model;
    }

    private static Node InvertedResidual(Node x, int expansion, int stride, int filters, int blockId, Random rng)
    {
        int inChannels = x.Shape[-1];
        string prefix = blockId == 0 ? "expanded_conv_" : $"block_{blockId}_";
        var input = x;
        if (blockId != 0)
        {
            x = new Conv2D(expansion * inChannels, 1, useBias: false, name: prefix + "expand").Call(rng, x);
            x = Bn(prefix + "expand_BN", x, rng);
            x = new ReLU(6f, name: prefix + "expand_relu").Call(x);
        }
        if (stride == 2)
        {
            // Keras's correct_pad: one row/column less before the image than after when the size is even.
            int adjH = 1 - x.Shape[0] % 2, adjW = 1 - x.Shape[1] % 2;
            x = new ZeroPadding2D(1 - adjH, 1, 1 - adjW, 1, name: prefix + "pad").Call(x);
        }
        x = new DepthwiseConv2D(3, strides: stride, padding: stride == 1 ? Padding2D.Same : Padding2D.Valid, useBias: false,
            name: prefix + "depthwise").Call(rng, x);
        x = Bn(prefix + "depthwise_BN", x, rng);
        x = new ReLU(6f, name: prefix + "depthwise_relu").Call(x);
        x = new Conv2D(filters, 1, useBias: false, name: prefix + "project").Call(rng, x);
        x = Bn(prefix + "project_BN", x, rng);
        if (inChannels == filters && stride == 1) x = new Add(name: prefix + "add").Call(input, x);
        return x;
    }

    /// <summary>
    /// InceptionV3's shapes (Keras applications/inception_v3.py) at 299: the stem, three 35×35 blocks, the
    /// 17×17 reduction, four 17×17 blocks with 1×7/7×1 factorized convolutions, the 8×8 reduction and two 8×8
    /// blocks, each conv a Conv2D (no bias) + BN (scale off) + ReLU, branches joined by Concatenate.
    /// </summary>
    public static Model InceptionV3(int size = 299, int classes = 5, int seed = 0)
    {
        var rng = new Random(seed);
        var input = LayerCalls.Input(size, size, 3);
        int id = 0;
        Node Cbr(Node t, int filters, int kh, int kw, int stride = 1, bool same = true)
        {
            id++;
            t = new Conv2D(filters, (kh, kw), (stride, stride), same ? Padding2D.Same : Padding2D.Valid, useBias: false, name: $"conv2d_{id}").Call(rng, t);
            t = new BatchNormalization(epsilon: 1e-3f, scale: false, name: $"batch_normalization_{id}").Call(t);
            return new Activation(ActivationKind.Relu, name: $"activation_{id}").Call(t);
        }
        int pool = 0;
        Node Max(Node t, int stride = 2, bool same = false) => new MaxPooling2D(3, stride, same ? "same" : "valid", name: $"max_pooling2d_{++pool}").Call(t);
        Node Avg(Node t) => new AveragePooling2D(3, 1, "same", name: $"average_pooling2d_{++pool}").Call(t);
        int cat = 0;
        Node Cat(params Node[] parts) => new Concatenate(name: $"mixed_concat_{++cat}").Call(parts);

        var x = Cbr(input, 32, 3, 3, 2, same: false);
        x = Cbr(x, 32, 3, 3, same: false);
        x = Cbr(x, 64, 3, 3);
        x = Max(x);
        x = Cbr(x, 80, 1, 1, same: false);
        x = Cbr(x, 192, 3, 3, same: false);
        x = Max(x);
        foreach (int poolFilters in new[] { 32, 64, 64 })
        {
            var b1 = Cbr(x, 64, 1, 1);
            var b5 = Cbr(Cbr(x, 48, 1, 1), 64, 5, 5);
            var b3 = Cbr(Cbr(Cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
            var bp = Cbr(Avg(x), poolFilters, 1, 1);
            x = Cat(b1, b5, b3, bp);
        }
        {
            var b3 = Cbr(x, 384, 3, 3, 2, same: false);
            var bd = Cbr(Cbr(Cbr(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, same: false);
            x = Cat(b3, bd, Max(x));
        }
        foreach (int c7 in new[] { 128, 160, 160, 192 })
        {
            var b1 = Cbr(x, 192, 1, 1);
            var b7 = Cbr(Cbr(Cbr(x, c7, 1, 1), c7, 1, 7), 192, 7, 1);
            var bd = Cbr(Cbr(Cbr(Cbr(Cbr(x, c7, 1, 1), c7, 7, 1), c7, 1, 7), c7, 7, 1), 192, 1, 7);
            var bp = Cbr(Avg(x), 192, 1, 1);
            x = Cat(b1, b7, bd, bp);
        }
        {
            var b3 = Cbr(Cbr(x, 192, 1, 1), 320, 3, 3, 2, same: false);
            var b7 = Cbr(Cbr(Cbr(Cbr(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, same: false);
            x = Cat(b3, b7, Max(x));
        }
        for (int i = 0; i < 2; i++)
        {
            var b1 = Cbr(x, 320, 1, 1);
            var b3 = Cbr(x, 384, 1, 1);
            b3 = Cat(Cbr(b3, 384, 1, 3), Cbr(b3, 384, 3, 1));
            var bd = Cbr(Cbr(x, 448, 1, 1), 384, 3, 3);
            bd = Cat(Cbr(bd, 384, 1, 3), Cbr(bd, 384, 3, 1));
            var bp = Cbr(Avg(x), 192, 1, 1);
            x = Cat(b1, b3, bd, bp);
        }
        if (classes > 0)
        {
            x = new GlobalAveragePooling2D(name: "avg_pool").Call(x);
            x = new Dense(classes, name: "predictions").Call(rng, x);
        }
        var model = new Model(input, x, "inception_v3_shaped");
        RandomizeStatistics(model, seed + 1);
        return model;
    }

    private static Node Bn(string name, Node x, Random rng) =>
        new BatchNormalization(momentum: 0.999f, epsilon: 1e-3f, name: name).Call(rng, x);

    /// <summary>
    /// Gives every BatchNorm a non-trivial moving mean, variance, gamma and beta, as a trained network has, so
    /// that folding them into convolutions is really exercised (the initial 0/1/1/0 would fold to nothing).
    /// </summary>
    public static void RandomizeStatistics(Model model, int seed)
    {
        var rng = new Random(seed);
        foreach (var bn in model.Layers.OfType<BatchNormalization>())
        {
            Fill(bn.MovingMean.Value.Span, -0.2f, 0.2f, rng);
            Fill(bn.MovingVariance.Value.Span, 0.5f, 2f, rng);
            if (bn.Gamma is { } g) Fill(g.Value.Span, 0.5f, 1.5f, rng);
            if (bn.Beta is { } b) Fill(b.Value.Span, -0.2f, 0.2f, rng);
        }
    }

    /// <summary>A batch of random images in [-1, 1] (MobileNet's input range).</summary>
    public static Tensor RandomImages(int batch, Shape imageShape, int seed)
    {
        var t = new Tensor(imageShape.WithBatch(batch));
        Fill(t.Span, -1f, 1f, new Random(seed));
        return t;
    }

    private static void Fill(Span<float> s, float lo, float hi, Random rng)
    {
        for (int i = 0; i < s.Length; i++) s[i] = lo + (hi - lo) * rng.NextSingle();
    }

    private static int MakeDivisible(float v, int divisor = 8)
    {
        int r = Math.Max(divisor, (int)(v + divisor / 2f) / divisor * divisor);
        if (r < 0.9f * v) r += divisor;
        return r;
    }
}
