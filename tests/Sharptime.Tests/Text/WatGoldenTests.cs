using Sharptime.Text;

namespace Sharptime.Tests.Text;

/// <summary>Compares the encoder with golden binaries from wat2wasm (see Golden/README.md).</summary>
public class WatGoldenTests
{
    private static string GoldenDir => Path.Combine(AppContext.BaseDirectory, "Text", "Golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var wat in Directory.GetFiles(GoldenDir, "*.wat").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(wat));
        return data;
    }

    [Fact]
    public void GoldenFilesArePresent()
    {
        Assert.True(Directory.GetFiles(GoldenDir, "*.wat").Length >= 100, $"golden files missing from {GoldenDir}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodesLikeWat2Wasm(string name)
    {
        string text = File.ReadAllText(Path.Combine(GoldenDir, name + ".wat"));
        byte[] expected = File.ReadAllBytes(Path.Combine(GoldenDir, name + ".wasm"));
        byte[] actual = WatTestHelpers.StripCustom(Wat.ToBinary(text, name + ".wat"));
        Assert.Equal(expected, actual);
    }
}
