using SkiaSharp;

namespace MLNetJacobian.Plotting;

/// <summary>One distinguishable colour per class index: ten hand-picked hues, then evenly spaced hues.</summary>
internal static class CategoricalPalette
{
    private static readonly SKColor[] Base =
    [
        new(0x4C, 0x78, 0xA8), new(0xF5, 0x85, 0x18), new(0xE4, 0x57, 0x56), new(0x72, 0xB7, 0xB2), new(0x54, 0xA2, 0x4B),
        new(0xEE, 0xCA, 0x3B), new(0xB2, 0x79, 0xA2), new(0xFF, 0x9D, 0xA6), new(0x9D, 0x75, 0x5D), new(0x6E, 0x6E, 0x6E),
    ];

    public static SKColor ColorOf(int classIndex, int classCount)
    {
        if (classCount <= Base.Length) return Base[classIndex];
        float hue = 360f * classIndex / classCount;
        return SKColor.FromHsl(hue, 60, classIndex % 2 == 0 ? 50 : 65);
    }
}
