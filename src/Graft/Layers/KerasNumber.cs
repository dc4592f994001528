using System.Globalization;

namespace Graft.Layers;

/// <summary>
/// Writes float settings into configs as the shortest double that reads back as the same float (0.9f as 0.9,
/// not 0.899999976), so saved configs look like Keras's and read back through LayerConfig.GetFloat, which
/// reads doubles.
/// </summary>
internal static class KerasNumber
{
    public static double Of(float v) =>
        float.IsFinite(v) ? double.Parse(v.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : v;
}
