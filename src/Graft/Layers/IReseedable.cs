namespace Graft.Layers;

/// <summary>
/// A layer with randomness (Dropout) whose stream the trainer re-seeds before every training step, so that
/// masks depend on (seed, step) alone and a resumed run draws the same ones as an uninterrupted run.
/// </summary>
public interface IReseedable
{
    void Reseed(int seed);
}
