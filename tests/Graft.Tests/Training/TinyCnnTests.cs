using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Optimizers;
using Graft.Tensors;
using Graft.Training;

namespace Graft.Tests.Training;

/// <summary>
/// The whole engine together: convolution, depthwise, BatchNorm in training mode, pooling, residual Add,
/// dropout and a softmax head, trained from scratch to near-zero loss on a synthetic image task
/// (which quadrant holds a bright square).
/// </summary>
public class TinyCnnTests
{
    [Fact]
    public void TrainsToNearZeroLoss()
    {
        var rng = new Random(4);
        const int n = 64, s = 12;
        var x = new Tensor(new Shape(n, s, s, 3));
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 4;
            int oy = y[i] / 2 * 6, ox = y[i] % 2 * 6;
            for (int p = 0; p < s * s * 3; p++) x[i * s * s * 3 + p] = (float)(rng.NextDouble() * 0.3);
            for (int r = 1; r < 5; r++)
                for (int c = 1; c < 5; c++)
                    x[i * s * s * 3 + ((oy + r) * s + ox + c) * 3 + (i % 3)] += 1f;
        }
        var input = LayerCalls.Input(s, s, 3);
        var h = new Activation(ActivationKind.Relu, "r1").Call(rng, new BatchNormalization(name: "bn1").Call(rng, new Conv2D(8, 3, padding: Padding2D.Same, name: "c1").Call(rng, input)));
        var d = new Activation(ActivationKind.Relu6, "r2").Call(rng, new DepthwiseConv2D(3, padding: Padding2D.Same, name: "dw").Call(rng, h));
        var res = new Add(name: "add").Call(rng, h, d);
        var pooled = new MaxPooling2D(2, name: "pool").Call(rng, res);
        var flat = new Flatten("flat").Call(rng, pooled);
        var drop = new Dropout(0.1f, seed: 1, name: "drop").Call(rng, flat);
        var model = new Model(input, new Dense(4, ActivationKind.Softmax, name: "out").Call(rng, drop));

        var history = Trainer.Fit(model, new TensorBatchSource(x, y), null, new FitOptions { Epochs = 40, BatchSize = 16, Optimizer = a => new Adam(a, 0.01f) });
        Assert.True(history[^1].Logs["loss"] < 0.05, $"final loss {history[^1].Logs["loss"]}");
        var eval = Trainer.Evaluate(model, new TensorBatchSource(x, y));
        Assert.Equal(1.0, eval.Accuracy);
    }
}
