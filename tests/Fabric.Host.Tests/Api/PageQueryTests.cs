using Fabric.Core.Api;
using Fabric.Host.Api.Contracts;
using Xunit;

namespace Fabric.Host.Tests.Api;

public sealed class PageQueryTests
{
    private static readonly int[] Ten = Enumerable.Range(0, 10).ToArray();

    [Theory]
    [InlineData(null, null, 0, 0)]
    [InlineData("", "", 0, 0)]
    [InlineData("3", null, 3, 0)]
    [InlineData(null, "4", 0, 4)]
    [InlineData("+2", "0", 2, 0)]
    [InlineData("-0", "007", 0, 7)]
    [InlineData("2147483647", "2147483647", int.MaxValue, int.MaxValue)]
    public void Valid_values_parse(string? offset, string? limit, int expectedOffset, int expectedLimit)
    {
        Assert.True(PageQuery.TryParse(offset, limit, out var query, out var error));

        Assert.Null(error);
        Assert.Equal(new PageQuery(expectedOffset, expectedLimit), query);
    }

    [Theory]
    [InlineData("-1", null, "offset", "negative")]
    [InlineData(null, "-5", "limit", "negative")]
    [InlineData("abc", null, "offset", "not a whole number")]
    [InlineData(null, "1.5", "limit", "not a whole number")]
    [InlineData(" 1", null, "offset", "not a whole number")]
    [InlineData(null, "0x10", "limit", "not a whole number")]
    [InlineData("-", null, "offset", "not a whole number")]
    [InlineData(null, "2147483648", "limit", "larger than")]
    [InlineData("99999999999999999999", null, "offset", "larger than")]
    public void Invalid_values_give_a_clear_error(string? offset, string? limit, string parameter, string problem)
    {
        Assert.False(PageQuery.TryParse(offset, limit, out var query, out var error));

        Assert.Equal(PageQuery.All, query);
        Assert.True(error.IsError);
        Assert.Equal(ApiConsts.FailInvldRequest, ApiConsts.CodeOf(error.RetCode));
        Assert.Contains($"'{parameter}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Correction));
    }

    [Fact]
    public void Offset_is_checked_before_limit()
    {
        Assert.False(PageQuery.TryParse("x", "y", out _, out var error));

        Assert.Contains("'offset'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(0, 3, new[] { 0, 1, 2 })]
    [InlineData(2, 3, new[] { 2, 3, 4 })]
    [InlineData(7, 0, new[] { 7, 8, 9 })]
    [InlineData(8, 5, new[] { 8, 9 })]
    [InlineData(10, 0, new int[0])]
    [InlineData(50, 2, new int[0])]
    [InlineData(0, 100, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public void Apply_skips_offset_then_takes_limit(int offset, int limit, int[] expected)
    {
        Assert.Equal(expected, new PageQuery(offset, limit).Apply(Ten));
    }

    [Fact]
    public void All_returns_everything()
    {
        Assert.Equal(Ten, PageQuery.All.Apply(Ten));
        Assert.Equal(0, PageQuery.All.Offset);
        Assert.Equal(0, PageQuery.All.Limit);
    }
}
