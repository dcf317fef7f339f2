using MlFunctions.Core.Imaging;

namespace MlFunctions.Core.Tests.Imaging;

public sealed class FitPlanTests
{
    [Fact]
    public void Cover_fills_the_box_and_crops_the_long_side_around_the_centre()
    {
        var plan = FitPlan.Create(1800, 1200, 224, 224, FitMode.Cover);

        Assert.Equal((224, 224), (plan.OutputWidth, plan.OutputHeight));
        Assert.Equal(300, plan.Source.Left, 3);
        Assert.Equal(1200, plan.Source.Width, 3);
        Assert.Equal(1200, plan.Source.Height, 3);
    }

    [Fact]
    public void Contain_keeps_the_aspect_ratio_inside_the_box()
    {
        var plan = FitPlan.Create(1800, 1200, 224, 224, FitMode.Contain);

        Assert.Equal((224, 149), (plan.OutputWidth, plan.OutputHeight));
    }

    [Fact]
    public void Pad_centres_the_contained_image_in_the_full_box()
    {
        var plan = FitPlan.Create(1800, 1200, 224, 224, FitMode.Pad);

        Assert.Equal((224, 224), (plan.OutputWidth, plan.OutputHeight));
        Assert.Equal(37, plan.Destination.Top);
        Assert.Equal(149, plan.Destination.Height);
    }

    [Fact]
    public void Fill_stretches_the_whole_image()
    {
        var plan = FitPlan.Create(1800, 1200, 100, 100, FitMode.Fill);

        Assert.Equal(1800, plan.Source.Width);
        Assert.Equal(100, plan.Destination.Height);
    }

    [Theory]
    [InlineData(300, null, 300, 200)]
    [InlineData(null, 300, 450, 300)]
    public void One_side_left_out_keeps_the_aspect_ratio(int? width, int? height, int expectedWidth, int expectedHeight)
    {
        var plan = FitPlan.Create(1800, 1200, width, height, FitMode.Cover);

        Assert.Equal((expectedWidth, expectedHeight), (plan.OutputWidth, plan.OutputHeight));
        Assert.Equal(1800, plan.Source.Width);
    }
}
