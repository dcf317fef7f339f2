using System.Text;
using System.Text.Json;
using MlFunctions.Testing;
using SkiaSharp;

namespace MlFunctions.Core.Tests.Formatting;

/// <summary>format with boxes: confidence, NMS per class or across classes, and boxes mapped back through a letterbox the tensor function made.</summary>
public sealed class DetectionFormatTests
{
    /// <summary>The transform record of a 640x480 image letterboxed into 640x640 (scale 1, 80 pixels of padding above and below).</summary>
    private static async Task<string> LetterboxTransformAsync()
    {
        var image = SyntheticImages.Solid(640, 480, SKColors.Teal, SKEncodedImageFormat.Png);
        var response = await FunctionCall.InvokeAsync("tensor", "width=640&height=640&fit=pad&output=json", image, MlFunctions.Core.Contract.FunctionLimits.Azure);
        Assert.Equal(200, response.Status);
        return JsonDocument.Parse(response.Body).RootElement.GetProperty("transform").GetRawText();
    }

    private static async Task<JsonElement> DetectAsync(string body, int status = 200)
    {
        var response = await FunctionCall.InvokeAsync("format", "", Encoding.UTF8.GetBytes(body));
        Assert.True(response.Status == status, Encoding.UTF8.GetString(response.Body.Span));
        return JsonDocument.Parse(response.Body).RootElement;
    }

    [Fact]
    public async Task The_tensor_functions_letterbox_record_says_where_the_image_went()
    {
        var transform = JsonDocument.Parse(await LetterboxTransformAsync()).RootElement;

        Assert.Equal(640, transform.GetProperty("originalWidth").GetInt32());
        Assert.Equal(480, transform.GetProperty("originalHeight").GetInt32());
        Assert.Equal(0, transform.GetProperty("padX").GetDouble());
        Assert.Equal(80, transform.GetProperty("padY").GetDouble());
        Assert.Equal(640, transform.GetProperty("drawnWidth").GetDouble());
        Assert.Equal(480, transform.GetProperty("drawnHeight").GetDouble());
    }

    [Fact]
    public async Task Boxes_are_thresholded_suppressed_within_their_class_and_mapped_back_to_the_original_pixels()
    {
        var transform = await LetterboxTransformAsync();
        // In the 640x640 input: A and B overlap (IoU 0.68), B scores lower: B goes. C overlaps A but is another
        // class: it stays. D is below the confidence threshold. E is alone.
        var body = $$"""
            {"boxes": [[100, 180, 200, 280], [110, 190, 210, 290], [100, 180, 200, 280], [300, 300, 340, 340], [400, 500, 500, 560]],
             "scores": [[0.9, 0.05], [0.8, 0.1], [0.1, 0.7], [0.2, 0.1], [0.3, 0.6]],
             "labels": ["cat", "dog"], "threshold": 0.25, "iou": 0.45, "transform": {{transform}}}
            """;

        var detections = (await DetectAsync(body)).GetProperty("detections").EnumerateArray().ToArray();

        Assert.Equal(["cat", "dog", "dog"], detections.Select(d => d.GetProperty("label").GetString()));
        Assert.Equal([0.9, 0.7, 0.6], detections.Select(d => d.GetProperty("score").GetDouble()));
        // The letterbox put the image 80 pixels down: y less 80, x as it was, clipped to 640x480.
        Assert.Equal([100.0, 100, 200, 200], detections[0].GetProperty("box").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([400.0, 420, 500, 480], detections[2].GetProperty("box").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task Class_agnostic_nms_drops_an_overlapping_box_of_another_class_and_cxcywh_normalised_boxes_read_the_same()
    {
        var transform = await LetterboxTransformAsync();
        // The same A and C as above, as normalised centre, width and height.
        var body = $$"""
            {"boxes": [[0.234375, 0.359375, 0.15625, 0.15625], [0.234375, 0.359375, 0.15625, 0.15625]], "scores": [[0.9, 0.05], [0.1, 0.7]],
             "labels": ["cat", "dog"], "boxFormat": "cxcywh", "normalized": true, "classAgnostic": true, "transform": {{transform}}}
            """;

        var detections = (await DetectAsync(body)).GetProperty("detections").EnumerateArray().ToArray();

        var only = Assert.Single(detections);
        Assert.Equal("cat", only.GetProperty("label").GetString());
        Assert.Equal([100.0, 100, 200, 200], only.GetProperty("box").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Theory]
    [InlineData("""{"boxes": [[1, 2, 3]], "scores": [[0.5]]}""", "boxes[0]")]
    [InlineData("""{"boxes": [[5, 5, 1, 1]], "scores": [[0.5]]}""", "boxes[0]")]
    [InlineData("""{"boxes": [[1, 1, 5, 5]], "scores": [[0.5]], "iou": 2}""", "iou")]
    [InlineData("""{"boxes": [[1, 1, 5, 5]], "scores": [[0.5, 0.2]], "labels": ["a"]}""", "labels")]
    [InlineData("""{"boxes": [[1, 1, 5, 5], [1, 1, 5, 5]], "scores": [[0.5]]}""", "boxes")]
    [InlineData("""{"boxes": [[1, 1, 5, 5]], "scores": [[0.5]], "maxDetections": 0}""", "maxDetections")]
    [InlineData("""{"boxes": [[0.1, 0.1, 0.5, 0.5]], "scores": [[0.5]], "normalized": true}""", "normalized")]
    [InlineData("""{"boxes": [[1, 1, 5, 5]], "scores": [[0.5]], "transform": {"originalWidth": 0, "originalHeight": 1, "inputWidth": 1, "inputHeight": 1, "sourceX": 0, "sourceY": 0, "sourceWidth": 1, "sourceHeight": 1, "padX": 0, "padY": 0, "drawnWidth": 1, "drawnHeight": 1}}""", "transform")]
    public async Task Each_bad_detection_field_is_a_400_naming_it(string body, string parameter)
    {
        var problem = await DetectAsync(body, 400);

        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }
}
