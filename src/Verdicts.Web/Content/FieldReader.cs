using System.Globalization;

namespace Verdicts.Web.Content;

/// <summary>Reads typed fields from one front-matter mapping, recording an error at the offending key or value.</summary>
internal sealed class FieldReader(string path, YamlMap map, List<ContentError> errors, string prefix = "")
{
    public void AllowOnly(params string[] keys)
    {
        foreach (var (key, _) in map.Entries)
        {
            if (!keys.Contains(key.Value, StringComparer.Ordinal))
                Error(key, $"unknown key '{prefix}{key.Value}' (allowed here: {string.Join(", ", keys)})");
        }
    }

    public string? Text(string key, bool required = false, int maxLength = 0)
    {
        var node = map[key];
        if (node is null)
        {
            if (required)
                Missing(key);
            return null;
        }
        if (node is YamlText { IsPlain: true } empty && IsNull(empty.Value))
        {
            if (required)
                Error(node, $"'{prefix}{key}' must not be empty");
            return null;
        }
        if (node is not YamlText text)
        {
            Error(node, $"'{prefix}{key}' must be text");
            return null;
        }
        var value = text.Value.Trim();
        if (value.Length == 0)
        {
            if (required)
                Error(node, $"'{prefix}{key}' must not be empty");
            return null;
        }
        if (maxLength > 0 && value.EnumerateRunes().Count() > maxLength)
        {
            Error(node, $"'{prefix}{key}' is {value.EnumerateRunes().Count()} characters long; the limit is {maxLength}");
            return null;
        }
        return value;
    }

    public string? OneOf(string key, bool required, params string[] allowed)
    {
        var value = Text(key, required);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
            return value;
        Error(map[key]!, $"'{prefix}{key}' must be {string.Join(" or ", allowed)}, not '{value}'");
        return null;
    }

    public bool Bool(string key) => OptionalBool(key) ?? false;

    /// <summary>True, false, or null when the key is absent (or wrong, with an error): "not stated" differs from false.</summary>
    public bool? OptionalBool(string key)
    {
        var node = map[key];
        if (node is null)
            return null;
        if (node is YamlText { IsPlain: true, Value: "true" })
            return true;
        if (node is YamlText { IsPlain: true, Value: "false" })
            return false;
        Error(node, $"'{prefix}{key}' must be true or false");
        return null;
    }

    /// <summary>A number greater than zero, written with a dot for decimals whatever the culture.</summary>
    public double? PositiveNumber(string key)
    {
        var node = map[key];
        if (node is null)
            return null;
        if (node is YamlText { IsPlain: true } text
            && double.TryParse(text.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value > 0)
            return value;
        Error(node, $"'{prefix}{key}' must be a number greater than zero, such as 3 or 2.5");
        return null;
    }

    public long? PositiveInteger(string key)
    {
        var value = Integer(key);
        if (value is null or > 0)
            return value;
        Error(map[key]!, $"'{prefix}{key}' must be a whole number greater than zero");
        return null;
    }

    public long? Integer(string key)
    {
        var node = map[key];
        if (node is null)
            return null;
        if (node is YamlText { IsPlain: true } text
            && long.TryParse(text.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        Error(node, $"'{prefix}{key}' must be a whole number");
        return null;
    }

    public string? Date(string key, bool required = false)
    {
        var node = map[key];
        if (node is null)
        {
            if (required)
                Missing(key);
            return null;
        }
        if (node is YamlText text
            && DateOnly.TryParseExact(text.Value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return Data.Iso.Day(date);
        Error(node, $"'{prefix}{key}' must be a date written YYYY-MM-DD");
        return null;
    }

    public string? Url(string key)
    {
        var value = Text(key);
        if (value is null)
            return null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri.AbsoluteUri;
        Error(map[key]!, $"'{prefix}{key}' must be an absolute http or https URL");
        return null;
    }

    /// <summary>A list whose items must each be one of <paramref name="allowed"/>, each error at its item.</summary>
    public IReadOnlyList<string> ListOf(string key, params string[] allowed)
    {
        var items = new List<string>();
        foreach (var item in TextList(key))
        {
            if (!allowed.Contains(item.Value, StringComparer.Ordinal))
                Error(item, $"each item of '{prefix}{key}' must be one of {string.Join(", ", allowed)}, not '{item.Value}'");
            else if (items.Contains(item.Value, StringComparer.Ordinal))
                Error(item, $"'{item.Value}' is listed more than once in '{prefix}{key}'");
            else
                items.Add(item.Value);
        }
        return items;
    }

    /// <summary>A list of absolute http or https URLs, each error at its item.</summary>
    public IReadOnlyList<string> UrlList(string key)
    {
        var urls = new List<string>();
        foreach (var item in TextList(key))
        {
            if (Uri.TryCreate(item.Value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                urls.Add(uri.AbsoluteUri);
            else
                Error(item, $"each item of '{prefix}{key}' must be an absolute http or https URL");
        }
        return urls;
    }

    public IReadOnlyList<YamlText> TextList(string key, bool required = false)
    {
        var node = map[key];
        if (node is null)
        {
            if (required)
                Missing(key);
            return [];
        }
        if (node is not YamlList list)
        {
            Error(node, $"'{prefix}{key}' must be a list");
            return [];
        }
        var items = new List<YamlText>();
        foreach (var item in list.Items)
        {
            if (item is YamlText { Value.Length: > 0 } text)
                items.Add(text with { Value = text.Value.Trim() });
            else
                Error(item, $"each item of '{prefix}{key}' must be non-empty text");
        }
        return items;
    }

    public YamlNode? Node(string key) => map[key];

    public YamlMap? Map(string key, bool required = false)
    {
        var node = map[key];
        if (node is null)
        {
            if (required)
                Missing(key);
            return null;
        }
        if (node is YamlMap nested)
            return nested;
        Error(node, $"'{prefix}{key}' must be a mapping of keys to values");
        return null;
    }

    public IReadOnlyList<YamlMap> MapList(string key)
    {
        var node = map[key];
        if (node is null)
            return [];
        if (node is not YamlList list)
        {
            Error(node, $"'{prefix}{key}' must be a list");
            return [];
        }
        var maps = new List<YamlMap>();
        foreach (var item in list.Items)
        {
            if (item is YamlMap entry)
                maps.Add(entry);
            else
                Error(item, $"each item of '{prefix}{key}' must be a mapping of keys to values");
        }
        return maps;
    }

    public FieldReader Nested(YamlMap nested, string name) => new(path, nested, errors, $"{prefix}{name}.");

    public void Error(YamlNode at, string message) => errors.Add(new(path, at.Line, at.Column, message));

    private void Missing(string key) => errors.Add(new(path, 1, 1, $"required key '{prefix}{key}' is missing"));

    private static bool IsNull(string value) => value is "" or "~" or "null";
}
