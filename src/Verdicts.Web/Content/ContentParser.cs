using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Verdicts.Web.Content;

/// <summary>The outcome of reading one file on its own: a document, or the reasons it has none.</summary>
public sealed record ParsedFile(string Path, ContentKind Kind, string Sha256, ContentDocument? Document, IReadOnlyList<ContentError> Errors)
{
    public bool IsValid => Document is not null && Errors.Count == 0;

    /// <summary>
    /// The file's text as UTF-8 (line endings normalised), kept only until the import has stored it as the file's
    /// last good version: holding every file's text for the life of the process would double the content's memory.
    /// </summary>
    public byte[]? Source { get; init; }
}

/// <summary>Turns the bytes of one content file into a checked document. Pure: no file system, no database.</summary>
public static partial class ContentParser
{
    public const long MaxFileBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Long enough for any real name; short enough that a file named after a slug, with the editor's temporary name
    /// around it (ContentFiles), stays within the 255 bytes a file name may have.
    /// </summary>
    public const int MaxSlugLength = 100;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    public const string SlugRule = "use lowercase letters, digits and single hyphens, without '-vs-', at most 100 characters";

    public static bool IsValidSlug(string slug) =>
        slug.Length <= MaxSlugLength && SlugPattern().IsMatch(slug) && !slug.Contains("-vs-", StringComparison.Ordinal);

    public static string SlugFor(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
                builder.Append(c);
            else if (builder.Length > 0 && builder[^1] != '-')
                builder.Append('-');
        }
        return builder.ToString().Trim('-').Replace("-vs-", "-v-", StringComparison.Ordinal);
    }

    /// <summary>
    /// Which kind of file a content-relative path holds, or null for files the site ignores
    /// (the folder's own README, hidden files and editors' temporary or backup files).
    /// </summary>
    public static ContentKind? KindOf(string relativePath)
    {
        var parts = relativePath.Split('/');
        if (parts.Length < 2 || parts.Any(p => p.Length == 0 || p[0] == '.' || p.EndsWith('~')))
            return null;
        if (!parts[^1].EndsWith(".md", StringComparison.Ordinal))
            return null;
        return (parts[0], parts.Length) switch
        {
            ("tools", 2) => ContentKind.Tool,
            ("reviewers", 2) => ContentKind.Reviewer,
            ("comparisons", 2) => ContentKind.Comparison,
            ("verdicts", 3) => ContentKind.Verdict,
            _ => null,
        };
    }

    /// <summary>
    /// True for Markdown files the site does not load, so an admin hears about them: those that sit where no kind of
    /// content lives, and those named otherwise than <c>.md</c> (<c>.MD</c>, <c>.markdown</c>), which could
    /// otherwise pass for a twin of a real file on a case-insensitive disk or in an editor.
    /// </summary>
    public static bool IsMisplaced(string relativePath) =>
        KindOf(relativePath) is null
        && relativePath.Contains('/', StringComparison.Ordinal)
        && IsMarkdownName(relativePath)
        && !relativePath.Split('/').Any(p => p.StartsWith('.'));

    /// <summary>True for a name with a Markdown extension in any spelling, content or not.</summary>
    public static bool IsMarkdownName(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".md" or ".markdown" or ".mdown" or ".mkd" or ".mkdn";

    /// <summary>Why a Markdown file is not loaded: its name, or where it sits.</summary>
    public static string NotLoadedBecause(string relativePath) =>
        !relativePath.EndsWith(".md", StringComparison.Ordinal)
            ? $"only files ending in lowercase '.md' are content: rename it to '{Path.ChangeExtension(Path.GetFileName(relativePath), ".md")}' or remove it"
            : "Markdown file outside the content layout: use tools/<slug>.md, reviewers/<slug>.md, verdicts/<tool>/<reviewer>.md or comparisons/<slug>.md";

    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static ParsedFile Parse(string relativePath, ContentKind kind, byte[] bytes)
    {
        var errors = new List<ContentError>();
        var sha = Hash(bytes);
        var document = Read(relativePath, kind, bytes, sha, errors, out var text);
        // Most files need no normalising, and then their bytes already are the text's UTF-8.
        var source = text is null ? null
            : bytes is not [0xEF, 0xBB, 0xBF, ..] && !bytes.AsSpan().Contains((byte)'\r') ? bytes
            : Encoding.UTF8.GetBytes(text);
        return new ParsedFile(relativePath, kind, sha, errors.Count == 0 ? document : null, errors) { Source = source };
    }

    private static ContentDocument? Read(string path, ContentKind kind, byte[] bytes, string sha, List<ContentError> errors, out string? text)
    {
        text = null;
        if (bytes.LongLength > MaxFileBytes)
        {
            errors.Add(new(path, 1, 1, $"file is {bytes.LongLength} bytes; content files are limited to 1 MiB"));
            return null;
        }
        text = Decode(path, bytes, errors);
        if (text is null)
            return null;

        var parts = path.Split('/');
        var slug = Path.GetFileNameWithoutExtension(parts[^1]);
        if (!IsValidSlug(slug))
            errors.Add(new(path, 1, 1, $"file name '{slug}' is not a valid slug: {SlugRule}"));
        if (kind == ContentKind.Verdict && !IsValidSlug(parts[1]))
            errors.Add(new(path, 1, 1, $"folder name '{parts[1]}' is not a valid tool slug"));
        if (errors.Count > 0)
            return null;

        if (!SplitFrontMatter(path, text, errors, out var yaml, out var body, out var bodyLine))
            return null;
        if (LinkDensityLimit.Exceeded(body) is { } dense)
        {
            errors.Add(new(path, bodyLine + dense.Line - 1, 1, $"this paragraph is too dense to render quickly ({dense.Marks} links and emphasis marks in {dense.Length} characters), and the body as a whole too: split long paragraphs with blank lines or use fewer links and emphasis"));
            return null;
        }
        var map = YamlTree.Parse(yaml, 2, path, errors);
        if (errors.Count > 0)
            return null;
        var fields = new FieldReader(path, map, errors);
        try
        {
            return kind switch
            {
                ContentKind.Tool => ReadTool(path, slug, sha, fields, body, errors),
                ContentKind.Reviewer => ReadReviewer(path, slug, sha, fields, body),
                ContentKind.Verdict => ReadVerdict(path, parts[1], slug, sha, fields, body, bodyLine, errors),
                _ => ReadComparison(path, slug, sha, fields, body, errors),
            };
        }
        catch (ArgumentException ex) when (ex.Message.Contains("nested", StringComparison.OrdinalIgnoreCase))
        {
            // Markdig refuses pathological nesting (thousands of quote or bracket levels) with an exception.
            errors.Add(new(path, bodyLine, 1, "the Markdown is nested too deeply to render"));
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One file must never stop the others from loading, whatever its text does to a library.
            errors.Add(new(path, bodyLine, 1, $"the file could not be processed: {ex.GetType().Name}"));
            return null;
        }
    }

    private static string? Decode(string path, byte[] bytes, List<ContentError> errors)
    {
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = start + Math.Max(ex.Index, 0);
            var (line, column) = LineAndColumn(bytes.AsSpan(0, offset));
            var bad = ex.BytesUnknown is { Length: > 0 } unknown ? $"0x{unknown[0]:X2}" : "sequence";
            errors.Add(new(path, line, column, $"invalid UTF-8 byte {bad} at byte offset {offset}; save the file as UTF-8"));
            return null;
        }
        // CRLF, lone CR and LF all become LF, so the rows do not depend on the editor that saved the file.
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var lineNo = 1;
        var col = 1;
        foreach (var c in text.EnumerateRunes())
        {
            if (c.Value < ' ' && c.Value is not '\n' and not '\t' || c.Value == 0x7F)
            {
                errors.Add(new(path, lineNo, col, $"control character U+{c.Value:X4} is not allowed"));
                return null;
            }
            if (CannotBeCarried(c))
            {
                errors.Add(new(path, lineNo, col, $"character U+{c.Value:X4} is not allowed: it cannot appear in HTML or XML"));
                return null;
            }
            if (ReordersText(c))
            {
                errors.Add(new(path, lineNo, col, $"bidirectional control U+{c.Value:X4} is not allowed: it makes text display in another order than it is stored"));
                return null;
            }
            if (c.Value == '\n')
            {
                lineNo++;
                col = 1;
            }
            else
            {
                col++;
            }
        }
        return text;
    }

    /// <summary>
    /// C1 controls and noncharacters (U+FDD0 to U+FDEF and the last two code points of every plane): XML 1.0 refuses
    /// U+FFFE and U+FFFF outright, so one of them in a comparison made the feed fail, and HTML counts all of them as
    /// parse errors. Refused here, no output ever has to deal with them.
    /// </summary>
    internal static bool CannotBeCarried(Rune c) =>
        c.Value is >= 0x80 and <= 0x9F or >= 0xFDD0 and <= 0xFDEF || (c.Value & 0xFFFE) == 0xFFFE;

    /// <summary>
    /// The embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069): a name holding one can show a reader
    /// other text than the one stored, searched and linked. Right-to-left text needs none of them; the marks U+200E and
    /// U+200F stay allowed.
    /// </summary>
    internal static bool ReordersText(Rune c) => c.Value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069;

    private static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> before)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, before.Length - lineStart + 1);
    }

    private static bool SplitFrontMatter(string path, string text, List<ContentError> errors, out string yaml, out string body, out int bodyLine)
    {
        yaml = body = "";
        bodyLine = 1;
        if (!text.StartsWith("---\n", StringComparison.Ordinal) && text.TrimEnd() != "---")
        {
            errors.Add(new(path, 1, 1, "file must start with a front matter block: a line '---', YAML, then a line '---'"));
            return false;
        }
        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() == "---")
            {
                yaml = string.Join('\n', lines, 1, i - 1);
                var rest = string.Join('\n', lines, i + 1, lines.Length - i - 1);
                body = rest.Trim();
                // The line the body's text starts on, past any blank lines, so errors inside it can count from there.
                bodyLine = i + 2 + (body.Length == 0 ? 0 : rest.AsSpan(0, rest.Length - rest.TrimStart().Length).Count('\n'));
                return true;
            }
        }
        errors.Add(new(path, 1, 1, "front matter is not closed: add a line '---' after the YAML"));
        return false;
    }

    private static ToolDocument? ReadTool(string path, string slug, string sha, FieldReader fields, string body, List<ContentError> errors)
    {
        fields.AllowOnly("name", "category", "tagline", "pricing", "vendor", "website", "license", "tags", "released", "aliases", "draft",
            "specs", "sources", "checked");
        var name = fields.Text("name", required: true, maxLength: 100);
        var category = fields.Text("category", required: true, maxLength: 60);
        var tagline = fields.Text("tagline", required: true, maxLength: 140);
        var vendor = fields.Text("vendor", maxLength: 100);
        var website = fields.Url("website");
        var license = fields.Text("license", maxLength: 100);
        var tags = fields.TextList("tags").Select(t => t.Value).ToList();
        var released = fields.Date("released");
        var aliases = fields.TextList("aliases").Select(a => new PositionedSlug(a.Value, a.Line, a.Column)).ToList();
        var draft = fields.Bool("draft");
        var specs = fields.Map("specs") is { } specsMap ? ReadSpecs(fields.Nested(specsMap, "specs")) : null;
        var sources = fields.UrlList("sources");
        var isChecked = fields.Date("checked");
        foreach (var alias in aliases.Where(a => !IsValidSlug(a.Slug)))
            errors.Add(new(path, alias.Line, alias.Column, $"alias '{alias.Slug}' is not a valid slug"));
        foreach (var alias in aliases.Where(a => a.Slug == slug))
            errors.Add(new(path, alias.Line, alias.Column, $"alias '{alias.Slug}' is the tool's own slug"));

        string? entry = null;
        var plans = new List<PricePlan>();
        if (fields.Map("pricing", required: true) is { } pricingMap)
        {
            var pricing = fields.Nested(pricingMap, "pricing");
            pricing.AllowOnly("entry", "plans");
            entry = pricing.Text("entry", required: true, maxLength: 40);
            foreach (var planMap in pricing.MapList("plans"))
            {
                var plan = pricing.Nested(planMap, "plans[]");
                plan.AllowOnly("name", "price", "notes");
                var planName = plan.Text("name", required: true, maxLength: 60);
                var price = plan.Text("price", required: true, maxLength: 40);
                if (planName is not null && price is not null)
                    plans.Add(new PricePlan(planName, price, plan.Text("notes", maxLength: 200)));
            }
        }
        if (errors.Count > 0)
            return null;
        var categorySlug = SlugFor(category!);
        if (categorySlug.Length == 0)
        {
            errors.Add(new(path, 1, 1, "'category' must contain at least one letter or digit"));
            return null;
        }
        return new ToolDocument(path, slug, sha, name!, category!, categorySlug, tagline!, vendor, website, license,
            tags, released, entry!, plans, aliases, draft, new MarkdownBody(body, withText: true))
        {
            Specs = specs, Sources = sources, Checked = isChecked,
        };
    }

    private static Data.ToolSpecs ReadSpecs(FieldReader specs)
    {
        specs.AllowOnly("parameters", "parameters_billions", "context_tokens", "inputs", "open_weights", "memory_gb_q4");
        return new Data.ToolSpecs
        {
            Parameters = specs.Text("parameters", maxLength: 40),
            ParametersBillions = specs.PositiveNumber("parameters_billions"),
            ContextTokens = specs.PositiveInteger("context_tokens"),
            Inputs = specs.Node("inputs") is null ? null : specs.ListOf("inputs", Data.ToolSpecs.InputKinds),
            OpenWeights = specs.OptionalBool("open_weights"),
            MemoryGbQ4 = specs.PositiveNumber("memory_gb_q4"),
        };
    }

    private static ReviewerDocument? ReadReviewer(string path, string slug, string sha, FieldReader fields, string body)
    {
        fields.AllowOnly("name", "lens", "order");
        var name = fields.Text("name", required: true, maxLength: 100);
        var lens = fields.Text("lens", required: true, maxLength: 60);
        var order = fields.Integer("order");
        return name is null || lens is null ? null : new ReviewerDocument(path, slug, sha, name, lens, order, new MarkdownBody(body, withText: false));
    }

    private static VerdictDocument? ReadVerdict(string path, string toolSlug, string reviewerSlug, string sha,
        FieldReader fields, string body, int bodyLine, List<ContentError> errors)
    {
        fields.AllowOnly("verdict", "date");
        var verdict = fields.OneOf("verdict", true, "ship", "skip");
        var date = fields.Date("date");
        if (body.Length == 0)
            errors.Add(new(path, bodyLine, 1, "the reviewer's quote (the text after the front matter) is required"));
        if (verdict is null || errors.Count > 0)
            return null;
        return new VerdictDocument(path, $"{toolSlug}/{reviewerSlug}", sha, toolSlug, reviewerSlug, verdict, date,
            new MarkdownBody(body, withText: true));
    }

    private static ComparisonDocument? ReadComparison(string path, string slug, string sha, FieldReader fields, string body, List<ContentError> errors)
    {
        fields.AllowOnly("tools", "published", "title", "question", "featured", "draft", "bottom_line");
        var tools = fields.TextList("tools", required: true).Select(t => new PositionedSlug(t.Value, t.Line, t.Column)).ToList();
        var published = fields.Date("published", required: true);
        var title = fields.Text("title", maxLength: 160);
        var question = fields.Text("question", maxLength: 200);
        var featured = fields.Bool("featured");
        var draft = fields.Bool("draft");
        var bottomLine = fields.Text("bottom_line", maxLength: 600);
        if (fields.Node("tools") is YamlList toolsNode && tools.Count is < 2 or > 4)
            fields.Error(toolsNode, $"'tools' lists {tools.Count} tools; a comparison needs 2 to 4");
        foreach (var repeated in tools.GroupBy(t => t.Slug, StringComparer.OrdinalIgnoreCase).SelectMany(g => g.Skip(1)))
            errors.Add(new(path, repeated.Line, repeated.Column, $"tool '{repeated.Slug}' is listed more than once"));
        return published is null || errors.Count > 0
            ? null
            : new ComparisonDocument(path, slug, sha, tools, published, title, question, featured, draft, new MarkdownBody(body, withText: false))
            {
                BottomLine = bottomLine is null ? null : new MarkdownBody(bottomLine, withText: false),
            };
    }
}
