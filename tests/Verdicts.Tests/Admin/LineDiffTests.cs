using Verdicts.Web.Admin;

namespace Verdicts.Tests.Admin;

public sealed class LineDiffTests
{
    [Fact]
    public void A_new_file_adds_each_of_its_lines_and_a_deleted_one_removes_them_with_no_line_for_the_final_newline()
    {
        var created = LineDiff.Between(null, "one\ntwo\nthree\n");
        var deleted = LineDiff.Between("one\ntwo\nthree\n", null);

        Assert.Equal((3, 0), (created.Added, created.Removed));
        Assert.Equal([(null, 1L, "one"), (null, 2L, "two"), (null, 3L, "three")], created.Rows().Select(r => (r.Before, r.After, r.Text)));
        Assert.All(created.Rows(), r => Assert.Equal(LineDiff.Change.Inserted, r.Change));
        Assert.Equal((0, 3), (deleted.Added, deleted.Removed));
        Assert.Equal([(1L, (long?)null, "one"), (2L, null, "two"), (3L, null, "three")], deleted.Rows().Select(r => (r.Before, r.After, r.Text)));
    }

    [Fact]
    public void Far_apart_changes_keep_two_lines_of_context_each_and_mark_the_lines_left_out()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n";
        var after = before.Replace("line 3\n", "line three\n", StringComparison.Ordinal).Replace("line 18\n", "", StringComparison.Ordinal);

        var diff = LineDiff.Between(before, after);

        Assert.Equal((1, 2), (diff.Added, diff.Removed));
        Assert.Equal(
            [
                (LineDiff.Change.Same, 1L, 1L, "line 1"), (LineDiff.Change.Same, 2, 2, "line 2"),
                (LineDiff.Change.Deleted, 3, null, "line 3"), (LineDiff.Change.Inserted, null, 3, "line three"),
                (LineDiff.Change.Same, 4, 4, "line 4"), (LineDiff.Change.Same, 5, 5, "line 5"),
                (LineDiff.Change.Gap, 16, 16, ""),
                (LineDiff.Change.Same, 16, 16, "line 16"), (LineDiff.Change.Same, 17, 17, "line 17"),
                (LineDiff.Change.Deleted, 18, null, "line 18"),
                (LineDiff.Change.Same, 19, 18, "line 19"), (LineDiff.Change.Same, 20, 19, "line 20"),
            ],
            diff.Rows().Select(r => (r.Change, r.Before, r.After, r.Text)));
    }

    [Fact]
    public void A_diff_longer_than_the_limit_keeps_only_its_counts()
    {
        var after = string.Join('\n', Enumerable.Range(1, LineDiff.MaxLines + 1).Select(i => $"line {i}"));

        var diff = LineDiff.Between("", after);

        Assert.True(diff.TooLong);
        Assert.Null(diff.Unified);
        Assert.Empty(diff.Rows());
        Assert.Equal((LineDiff.MaxLines + 1, 0), (diff.Added, diff.Removed));
        Assert.Equal($"{LineDiff.MaxLines + 1} lines added, 0 removed", diff.Summary);
    }

    [Fact]
    public void Equal_texts_change_no_lines()
    {
        var diff = LineDiff.Between("same\n", "same\n");

        Assert.True(diff.Unchanged);
        Assert.False(diff.TooLong);
        Assert.Empty(diff.Rows());
    }
}
