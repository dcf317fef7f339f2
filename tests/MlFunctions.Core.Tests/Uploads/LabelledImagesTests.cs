using System.IO.Compression;
using MlFunctions.Core.Contract;
using MlFunctions.Core.Uploads;
using MlFunctions.Testing;

namespace MlFunctions.Core.Tests.Uploads;

public sealed class LabelledImagesTests
{
    private static LabelledImages Scan(Action<ZipArchive> fill, FunctionLimits? limits = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            fill(zip);
        }
        buffer.Position = 0;
        using var read = new ZipArchive(buffer, ZipArchiveMode.Read);
        return LabelledImages.Scan(read, limits ?? FunctionLimits.Default);
    }

    private static void Shapes(ZipArchive zip, string prefix, int perLabel, int seed)
    {
        var random = new Random(seed);
        foreach (var label in new[] { "circle", "square" })
        {
            for (var i = 0; i < perLabel; i++)
            {
                ShapeImages.Add(zip, $"{prefix}{label}/{i}.jpg", ShapeImages.Draw(label, random, 48));
            }
        }
    }

    [Fact]
    public void A_folder_zipped_whole_is_read_through_its_top_folder_and_junk_is_ignored()
    {
        var set = Scan(zip =>
        {
            Shapes(zip, "my-photos/", 5, 1);
            ShapeImages.Add(zip, "__MACOSX/my-photos/circle/._0.jpg", [1, 2, 3]);
            ShapeImages.Add(zip, "my-photos/.DS_Store", [0]);
        });

        Assert.Null(set.Problem);
        Assert.Equal(["circle", "square"], set.Labels);
        Assert.Equal(10, set.Images.Count);
        Assert.Contains("skipped: 0", set.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_entries_are_each_reported_and_skipped_and_the_rest_trains()
    {
        var duplicate = ShapeImages.Draw("circle", new Random(42), 48);
        var set = Scan(zip =>
        {
            Shapes(zip, "", 5, 2);
            ShapeImages.Add(zip, "circle/cut.jpg", duplicate[..20]);
            ShapeImages.Add(zip, "circle/copy-a.png", duplicate);
            ShapeImages.Add(zip, "square/copy-b.png", duplicate);
            ShapeImages.Add(zip, "notes.txt", "hello"u8.ToArray());
            ShapeImages.Add(zip, "circle/readme.txt", "hello"u8.ToArray());
            ShapeImages.Add(zip, "a/b/c.jpg", duplicate);
            ShapeImages.Add(zip, "lonely/one.jpg", ShapeImages.Draw("square", new Random(7), 48));
        });

        Assert.Null(set.Problem);
        Assert.Equal(11, set.Images.Count); // 5 + 5, and the first of the duplicates
        Assert.Contains("circle/cut.jpg: ", set.Report, StringComparison.Ordinal);
        Assert.Contains("square/copy-b.png: the same image as circle/copy-a.png", set.Report, StringComparison.Ordinal);
        Assert.Contains("notes.txt: not in a label folder", set.Report, StringComparison.Ordinal);
        Assert.Contains("circle/readme.txt: not an image", set.Report, StringComparison.Ordinal);
        Assert.Contains("label 'lonely': 1 image, fewer than 5; left out", set.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_than_two_labels_with_enough_images_is_rejected_saying_so()
    {
        var set = Scan(zip => Shapes(zip, "", 4, 3));

        Assert.Contains("at least 2 labels with 5 or more images each; the zip has 0", set.Problem, StringComparison.Ordinal);
        Assert.Contains("rejected:", set.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_over_the_pixel_limit_is_skipped_by_its_header_alone()
    {
        var set = Scan(zip => Shapes(zip, "", 6, 4), FunctionLimits.Default with { MaxImagePixels = 40 * 40 });

        Assert.Equal("Training needs at least 2 labels with 5 or more images each; the zip has 0.", set.Problem);
        Assert.Contains("pixels", set.Report, StringComparison.Ordinal);
    }
}
