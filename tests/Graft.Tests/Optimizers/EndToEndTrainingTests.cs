using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Losses;
using Graft.Optimizers;
using Graft.Tensors;

namespace Graft.Tests.Optimizers;

public class EndToEndTrainingTests
{
    [Fact]
    public void MlpFitsAFourArmSpiral()
    {
        // Four interleaved spiral arms of 40 points each, half a turn long: not linearly separable, and small
        // enough to fit exactly.
        const int perClass = 40, classes = 4, n = perClass * classes;
        var x = new Tensor(new Shape(n, 2));
        var labels = new int[n];
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                int k = c * perClass + i;
                double r = 0.15 + 0.85 * i / (perClass - 1), theta = c * Math.PI / 2 + r * Math.PI;
                x[2 * k] = (float)(r * Math.Cos(theta));
                x[2 * k + 1] = (float)(r * Math.Sin(theta));
                labels[k] = c;
            }
        var model = Model.Sequential(new Shape(2),
            new Dense(32, ActivationKind.Tanh, name: "h1"), new Dense(32, ActivationKind.Tanh, name: "h2"), new Dense(classes, name: "logits"));
        var adam = new Adam(model.CreateArena(), learningRate: 0.02f);
        var loss = new SoftmaxCrossEntropy();
        var grad = new Tensor(new Shape(n, classes));
        float value = float.NaN;
        for (int step = 0; step < 400; step++)
        {
            adam.ZeroGrad();
            value = loss.Compute(model.Forward(x, training: true), labels, grad);
            model.Backward(grad);
            adam.Step();
        }
        var logits = model.Forward(x);
        value = loss.Compute(logits, labels);
        int correct = 0;
        for (int k = 0; k < n; k++)
            if (TensorPrimitives.IndexOfMax(logits.Span.Slice(k * classes, classes)) == labels[k]) correct++;
        Assert.True(value < 0.05f, $"final loss {value}");
        Assert.Equal(n, correct);
    }
}
