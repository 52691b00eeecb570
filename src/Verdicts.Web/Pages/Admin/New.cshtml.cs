using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Verdicts.Web.Admin;
using Verdicts.Web.Content;

namespace Verdicts.Web.Pages.Admin;

/// <summary>
/// Creates a content file from a form made for its kind: each field is checked and answered beside itself, then the
/// file is judged by the loader itself against everything loaded now, so what is created is a file that loads. The
/// save goes the editor's way (<see cref="ContentChange"/>: audited, a commit when the folder is a clone).
/// </summary>
public sealed class NewModel(ContentFiles files, TimeProvider time, IOptions<VerdictsOptions> options) : SitePageModel
{
    public static readonly string[] Kinds = ["tool", "reviewer", "verdict", "comparison"];

    /// <summary>How many names a picker suggests for what was typed.</summary>
    public const int SuggestionCount = 20;

    /// <summary>Existing categories offered while typing one; a catalogue has a few dozen, so the cap is only a guard.</summary>
    public const int CategoryCount = 200;

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; } = "tool";

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Slug { get; set; }
    [BindProperty] public string? Category { get; set; }
    [BindProperty] public string? Tagline { get; set; }
    [BindProperty] public string? Price { get; set; }
    [BindProperty] public string? Vendor { get; set; }
    [BindProperty] public string? License { get; set; }
    [BindProperty] public string? Website { get; set; }
    [BindProperty] public string? Released { get; set; }
    [BindProperty] public string? Lens { get; set; }
    [BindProperty] public string? Order { get; set; }
    [BindProperty] public string? Tool { get; set; }
    [BindProperty] public string? Reviewer { get; set; }
    [BindProperty] public string? Verdict { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public List<string?> Tools { get; set; } = [];
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Question { get; set; }
    [BindProperty] public string? BottomLine { get; set; }
    [BindProperty] public string? Published { get; set; }
    [BindProperty] public bool Featured { get; set; }
    [BindProperty] public bool Draft { get; set; }
    [BindProperty] public string? Body { get; set; }

    /// <summary>What is wrong with each field, by field name, in the order the form shows them.</summary>
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>A problem with the request as a whole (no such kind, the file exists, the database is busy).</summary>
    public string? Problem { get; private set; }

    public bool KnownKind => Kinds.Contains(Kind);

    public ContentSnapshot Snapshot => files.Snapshot;

    /// <summary>Tools in a list while there are few enough to scan (the compare form's limit), else typed with suggestions.</summary>
    public bool ToolsListed => Snapshot.Tools.Count <= options.Value.CompareListLimit;

    public bool ReviewersListed => Snapshot.Reviewers.Count <= options.Value.CompareListLimit;

    public IEnumerable<ToolDocument> ToolChoices => Snapshot.Tools.Values.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Slug, StringComparer.Ordinal);

    public IEnumerable<ReviewerDocument> ReviewerChoices => Snapshot.Reviewers.Values.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Slug, StringComparer.Ordinal);

    public IEnumerable<string> Categories => Snapshot.Tools.Values.Select(t => t.Category).Distinct(StringComparer.Ordinal)
        .Order(StringComparer.OrdinalIgnoreCase).Take(CategoryCount);

    public string? ErrorFor(string field) => FieldErrors.GetValueOrDefault(field);

    /// <summary>
    /// A posted value as the form shows it again: without the characters a page cannot carry (the loader refuses
    /// them too, and says so beside the field), so that a refused form is still a valid page.
    /// </summary>
    public static string? Shown(string? value) =>
        value is null ? null
        : string.Concat(value.EnumerateRunes().Where(r => !ContentParser.CannotBeCarried(r) && (r.Value >= ' ' || r.Value is '\n' or '\t')));

    public IActionResult OnGet()
    {
        Describe();
        if (!KnownKind)
            return Refuse("Choose what kind of file to create.");
        var today = Data.Iso.Day(time.GetUtcNow());
        (Draft, Date, Published) = (true, today, today);
        return Page();
    }

    /// <summary>Names a picker could mean by what was typed: a bounded list for the field's datalist, slugs as values.</summary>
    public IActionResult OnGetSuggestions([FromQuery(Name = "for")] string? picker, [FromQuery] string? q)
    {
        DoNotCache();
        var typed = (q ?? "").Trim();
        if (typed.Length is 0 or > 100 || picker is not ("tool" or "reviewer"))
            return new JsonResult(Array.Empty<object>());
        IEnumerable<(string Slug, string Name)> all = picker == "tool"
            ? Snapshot.Tools.Values.Select(t => (t.Slug, t.Name))
            : Snapshot.Reviewers.Values.Select(r => (r.Slug, r.Name));
        var matches = all
            .Where(c => c.Name.Contains(typed, StringComparison.OrdinalIgnoreCase) || c.Slug.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || c.Slug.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Slug, StringComparer.Ordinal)
            .Take(SuggestionCount)
            .Select(c => new { slug = c.Slug, name = c.Name });
        return new JsonResult(matches);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Describe();
        if (!KnownKind)
            return Refuse("Choose what kind of file to create.");
        var file = Kind switch
        {
            "tool" => ToolFile(),
            "reviewer" => ReviewerFile(),
            "verdict" => VerdictFile(),
            _ => ComparisonFile(),
        };
        if (FieldErrors.Count == 0)
            Judge(file);
        if (FieldErrors.Count > 0 || Problem is not null)
            return Refuse(Problem ?? "The file was not created: correct the fields marked below.");
        try
        {
            using var change = files.BeginChange(User.Identity?.Name ?? "unknown");
            // Checked again within the change: of two admins creating the same file at once, the second is told.
            if (System.IO.File.Exists(files.FullPathOf(file.Path)))
                return Exists(file);
            change.Write(file.Path, file.Text, "create");
            await change.CommitAsync();
            return Redirect($"/admin/content/{file.Path}?done=created");
        }
        catch (ContentConflictException)
        {
            // Someone else pushed a file at this path first.
            return Exists(file);
        }
        catch (ContentChangeFailedException failed)
        {
            Problem = failed.Message;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "5";
            return Page();
        }
    }

    /// <summary>The new file: its path, its text, and which form field wrote each line, so the loader's errors land beside their field.</summary>
    public sealed class NewFile(string slugField)
    {
        private readonly StringBuilder text = new("---\n");
        private readonly List<string> lines = [""];

        public string Path { get; set; } = "";

        /// <summary>The field the file's name comes from, where "already exists" is said.</summary>
        public string SlugField { get; } = slugField;

        public string Text { get; private set; } = "";

        public void Line(string field, string yaml)
        {
            text.Append(yaml).Append('\n');
            lines.Add(field);
        }

        public void Value(string field, string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
                Line(field, $"{key}: {Quote(value)}");
        }

        public void End(string? body)
        {
            text.Append("---\n").Append(ContentFiles.Normalise(body ?? "").Trim('\n')).Append('\n');
            Text = text.ToString();
        }

        /// <summary>The field that wrote a line; the body's past the front matter; null for the opening line.</summary>
        public string? FieldAt(int line) => line <= 1 ? null : line <= lines.Count ? lines[line - 1] : "Body";

        public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private NewFile ToolFile()
    {
        var name = Text(nameof(Name), Name, "the tool's name (the file's name, its slug, is made from it)", required: true, 100);
        var file = new NewFile(SlugField(nameof(Name), name));
        file.Path = $"tools/{SlugFrom(name, "name")}.md";
        file.Value(nameof(Name), "name", name);
        var category = Text(nameof(Category), Category, "a category", required: true, 60);
        if (category is not null && ContentParser.SlugFor(category).Length == 0)
            FieldErrors[nameof(Category)] = "A category needs at least one letter or digit.";
        file.Value(nameof(Category), "category", category);
        file.Value(nameof(Tagline), "tagline", Text(nameof(Tagline), Tagline, "a tagline", required: true, 140));
        file.Line(nameof(Price), "pricing:");
        file.Line(nameof(Price), "  entry: " + NewFile.Quote(Text(nameof(Price), Price, "the entry price", required: true, 40) ?? ""));
        file.Value(nameof(Vendor), "vendor", Text(nameof(Vendor), Vendor, "", required: false, 100));
        file.Value(nameof(License), "license", Text(nameof(License), License, "", required: false, 100));
        var website = Text(nameof(Website), Website, "", required: false, 2000);
        if (website is not null && !(Uri.TryCreate(website, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            FieldErrors[nameof(Website)] = "Give the whole address, starting with https:// or http://.";
        file.Value(nameof(Website), "website", website);
        if (DateField(nameof(Released), Released, required: false) is { } released)
            file.Line(nameof(Released), "released: " + released);
        if (Draft)
            file.Line(nameof(Draft), "draft: true");
        file.End(Body);
        return file;
    }

    private NewFile ReviewerFile()
    {
        var name = Text(nameof(Name), Name, "the reviewer's name (the file's name, its slug, is made from it)", required: true, 100);
        var file = new NewFile(SlugField(nameof(Name), name));
        file.Path = $"reviewers/{SlugFrom(name, "name")}.md";
        file.Value(nameof(Name), "name", name);
        file.Value(nameof(Lens), "lens", Text(nameof(Lens), Lens, "the reviewer's lens", required: true, 60));
        if (Text(nameof(Order), Order, "", required: false, 20) is { } order)
        {
            if (long.TryParse(order, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                file.Line(nameof(Order), "order: " + number.ToString(CultureInfo.InvariantCulture));
            else
                FieldErrors[nameof(Order)] = "Give a whole number, such as 3, or leave it empty.";
        }
        file.End(Body);
        return file;
    }

    private NewFile VerdictFile()
    {
        var tool = Pick(nameof(Tool), Tool, "tool");
        var reviewer = Pick(nameof(Reviewer), Reviewer, "reviewer");
        var file = new NewFile(nameof(Reviewer)) { Path = $"verdicts/{tool}/{reviewer}.md" };
        if (Verdict is not ("ship" or "skip"))
            FieldErrors[nameof(Verdict)] = "Choose ship or skip.";
        else
            file.Line(nameof(Verdict), "verdict: " + Verdict);
        if (DateField(nameof(Date), Date, required: false) is { } date)
            file.Line(nameof(Date), "date: " + date);
        if (string.IsNullOrWhiteSpace(Body))
            FieldErrors[nameof(Body)] = "Give the reviewer's quote: why ship (or skip) this tool.";
        file.End(Body);
        return file;
    }

    private NewFile ComparisonFile()
    {
        var typed = Tools.Select(t => t?.Trim()).OfType<string>().Where(t => t.Length > 0).ToList();
        var slugs = new List<string>();
        foreach (var entry in typed)
        {
            if (ResolveTool(entry) is not { } tool)
                FieldErrors[nameof(Tools)] = $"No tool has the name or slug “{entry}”.";
            else if (tool.Draft)
                FieldErrors[nameof(Tools)] = $"{tool.Name} is a draft, and a comparison may not show one: publish it first.";
            else if (slugs.Contains(tool.Slug))
                FieldErrors[nameof(Tools)] = $"{tool.Name} is chosen twice.";
            else
                slugs.Add(tool.Slug);
        }
        if (!FieldErrors.ContainsKey(nameof(Tools)) && slugs.Count is < 2 or > 4)
            FieldErrors[nameof(Tools)] = "Choose 2 to 4 tools.";
        var title = Text(nameof(Title), Title, "", required: false, 160);
        var file = new NewFile(SlugField(nameof(Title), title));
        // Without a title or a slug, the file is named after its tools, as "alpha-or-beta".
        var slug = title is null && string.IsNullOrWhiteSpace(Slug) ? string.Join("-or-", slugs) : SlugFrom(title, "title");
        if (title is null && string.IsNullOrWhiteSpace(Slug) && slugs.Count > 0 && !ContentParser.IsValidSlug(slug))
            FieldErrors[nameof(Slug)] = $"The tools' slugs make too long a file name: give a title or a slug ({ContentParser.SlugRule}).";
        file.Path = $"comparisons/{slug}.md";
        file.Line(nameof(Tools), $"tools: [{string.Join(", ", slugs)}]");
        file.Line(nameof(Published), "published: " + DateField(nameof(Published), Published, required: true));
        file.Value(nameof(Title), "title", title);
        file.Value(nameof(Question), "question", Text(nameof(Question), Question, "", required: false, 200));
        file.Value(nameof(BottomLine), "bottom_line", Text(nameof(BottomLine), BottomLine, "", required: false, 600));
        if (Featured)
            file.Line(nameof(Featured), "featured: true");
        if (Draft)
            file.Line(nameof(Draft), "draft: true");
        file.End(Body);
        return file;
    }

    /// <summary>The field that names the file: the slug when one is typed, else the field it is made from.</summary>
    private string SlugField(string from, string? value) => string.IsNullOrWhiteSpace(Slug) && value is not null ? from : nameof(Slug);

    /// <summary>The file's slug: the one typed, or one made from the name; an unusable one is a field error.</summary>
    private string SlugFrom(string? value, string what)
    {
        if (!string.IsNullOrWhiteSpace(Slug))
        {
            var typed = Slug.Trim();
            if (!ContentParser.IsValidSlug(typed))
                FieldErrors[nameof(Slug)] = $"“{typed}” is not a usable slug: {ContentParser.SlugRule}.";
            return typed;
        }
        if (value is null)
            return "";
        var slug = ContentParser.SlugFor(value);
        if (!ContentParser.IsValidSlug(slug))
        {
            // Said at the slug field: typing a slug is the way out, whatever the name.
            FieldErrors.TryAdd(nameof(Slug), slug.Length == 0
                ? $"The {what} gives no slug (the file's name is made from its letters and digits): use letters or digits, or type a slug here."
                : $"The {what} gives the slug '{slug}', which is not usable: a slug is {ContentParser.SlugRule}. Type a slug here.");
        }
        return slug;
    }

    /// <summary>One line of text, trimmed; null when empty. Too long, required and missing, or holding control characters: a field error.</summary>
    private string? Text(string field, string? value, string what, bool required, int maxLength)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
                FieldErrors[field] = $"Give {what}.";
            return null;
        }
        if (text.Any(char.IsControl))
            FieldErrors[field] = "Keep it to one line, without tabs or other control characters.";
        else if (text.Length > maxLength)
            FieldErrors[field] = $"At most {maxLength} characters; this is {text.Length}.";
        return text;
    }

    private string? DateField(string field, string? value, bool required)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
                FieldErrors[field] = "Give a date, written YYYY-MM-DD.";
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return Data.Iso.Day(date);
        FieldErrors[field] = "Give a date that exists, written YYYY-MM-DD.";
        return null;
    }

    /// <summary>The slug of the tool or reviewer a picker names (by slug, or by a name nobody else has), else a field error.</summary>
    private string Pick(string field, string? value, string picker)
    {
        var typed = value?.Trim();
        if (string.IsNullOrEmpty(typed))
        {
            FieldErrors[field] = $"Choose a {picker}.";
            return "";
        }
        if ((picker == "tool" ? ResolveTool(typed)?.Slug : ResolveReviewer(typed)?.Slug) is { } slug)
            return slug;
        FieldErrors[field] = $"No {picker} has the name or slug “{typed}”, or two share that name: give the slug, as in its address.";
        return "";
    }

    private ToolDocument? ResolveTool(string typed) =>
        Snapshot.Tools.TryGetValue(typed, out var bySlug) ? bySlug
        : Snapshot.Tools.Values.Where(t => string.Equals(t.Name, typed, StringComparison.OrdinalIgnoreCase)).Take(2).ToList() is [var only] ? only : null;

    private ReviewerDocument? ResolveReviewer(string typed) =>
        Snapshot.Reviewers.TryGetValue(typed, out var bySlug) ? bySlug
        : Snapshot.Reviewers.Values.Where(r => string.Equals(r.Name, typed, StringComparison.OrdinalIgnoreCase)).Take(2).ToList() is [var only] ? only : null;

    /// <summary>Where the file would go and what the loader says of it, given everything loaded now. Writes nothing.</summary>
    private void Judge(NewFile file)
    {
        if (files.Resolve(file.Path) is (_, { } pathProblem))
        {
            FieldErrors[file.SlugField] = pathProblem;
            return;
        }
        if (System.IO.File.Exists(files.FullPathOf(file.Path)))
        {
            Exists(file);
            return;
        }
        var slug = System.IO.Path.GetFileNameWithoutExtension(file.Path);
        if (Kind == "tool" && Snapshot.Tools.Values.FirstOrDefault(t => t.Aliases.Any(a => a.Slug == slug)) is { } aliased)
        {
            FieldErrors[file.SlugField] = $"'{slug}' is a former slug of {aliased.Name}, whose old address leads there: choose another.";
            return;
        }
        foreach (var error in files.Validate(file.Path, file.Text).Errors)
        {
            if (file.FieldAt(error.Line) is { } field)
                FieldErrors.TryAdd(field, char.ToUpperInvariant(error.Message[0]) + error.Message[1..] + ".");
            else
                Problem ??= $"{file.Path} would not load: {error.Message}.";
        }
    }

    private PageResult Exists(NewFile file)
    {
        Problem = $"{file.Path} already exists: open it from the content list to change it, or choose another name.";
        FieldErrors.TryAdd(file.SlugField, $"{file.Path} already exists.");
        return Refuse(Problem);
    }

    private PageResult Refuse(string problem)
    {
        Problem ??= problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private void Describe()
    {
        DoNotCache();
        Meta = new PageMeta("New file · Verdicts admin", "Create a content file.", "/admin/new") { NoIndex = true };
    }
}
