namespace Graft.Models;

/// <summary>The network families whose block structure Graft knows (see <see cref="BlockTable"/>).</summary>
public enum Architecture { Other, MobileNetV1, MobileNetV2, InceptionV3 }
