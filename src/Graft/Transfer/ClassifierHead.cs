using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Transfer.Classifiers;

namespace Graft.Transfer;

/// <summary>
/// The default head grafted onto a cut network: global pooling → Dropout → Dense softmax, named
/// graft_pool / graft_dropout / graft_predictions so they never clash with the backbone's layers.
/// </summary>
public static class ClassifierHead
{
    public const string PoolName = "graft_pool", DropoutName = "graft_dropout", DenseName = "graft_predictions";

    /// <summary>Builds inputs → <paramref name="featureLayer"/> → head, sharing the backbone's layers and weights.</summary>
    public static Model Attach(Model backbone, string featureLayer, int classes, HeadPooling pooling, float dropout, int seed, string suffix = "")
    {
        foreach (var name in new[] { PoolName, DropoutName, DenseName })
            if (backbone.HasLayer(name + suffix)) throw new ArgumentException($"The backbone already has a layer named '{name + suffix}'; graft a head onto the original network, not onto a grafted one.");
        var features = backbone.GetNode(featureLayer);
        var rng = new Random(seed);
        Node x = features;
        if (features.Shape.Rank == 3)
            x = (pooling == HeadPooling.Avg ? (Layer)new GlobalAveragePooling2D(name: PoolName + suffix) : new GlobalMaxPooling2D(name: PoolName + suffix)).Call(rng, x);
        else if (features.Shape.Rank != 1)
            x = new Flatten(PoolName + suffix).Call(rng, x);
        else
            x = new Activation(ActivationKind.Linear, PoolName + suffix).Call(rng, x);
        x = new Dropout(dropout, seed, DropoutName + suffix).Call(rng, x);
        x = new Dense(classes, ActivationKind.Softmax, name: DenseName + suffix).Call(rng, x);
        return new Model(backbone.Inputs, new[] { x }, backbone.Name);
    }

    /// <summary>
    /// Writes a fitted logistic regression into the head's Dense layer, folding the standardisation in:
    /// W' = W / σ, b' = b − Σ μ W / σ, so the model computes exactly the regression's probabilities.
    /// </summary>
    public static void LoadLogisticRegression(Model classifier, LogisticRegression regression)
    {
        var dense = (Dense)classifier.Outputs[0].Layer;
        var (mean, std, w) = regression.State;
        int d = regression.Dimension, k = regression.Classes;
        if (dense.Kernel.Shape[0] != d || dense.Units != k)
            throw new ArgumentException($"The regression has {d} features × {k} classes; the head expects {dense.Kernel.Shape[0]} × {dense.Units}.");
        var kernel = dense.Kernel.Value.Span;
        var bias = dense.Bias!.Value.Span;
        for (int c = 0; c < k; c++)
        {
            double b = w[d * k + c];
            for (int j = 0; j < d; j++)
            {
                double wj = w[j * k + c] / std[j];
                kernel[j * k + c] = (float)wj;
                b -= mean[j] * wj;
            }
            bias[c] = (float)b;
        }
    }
}
