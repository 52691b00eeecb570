using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Verdicts.Web.Content;

public abstract record YamlNode(int Line, int Column);

public sealed record YamlText(string Value, bool IsPlain, int Line, int Column) : YamlNode(Line, Column);

public sealed record YamlList(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column);

public sealed record YamlMap(IReadOnlyList<KeyValuePair<YamlText, YamlNode>> Entries, int Line, int Column) : YamlNode(Line, Column)
{
    public YamlNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;
}

/// <summary>
/// Builds a small tree from YamlDotNet's parser events, refusing what front matter never needs
/// (anchors, aliases, tags, deep nesting, duplicate keys) before any of it can cost memory.
/// </summary>
public static class YamlTree
{
    public const int MaxDepth = 8;

    public static YamlMap Parse(string yaml, int firstLine, string path, List<ContentError> errors)
    {
        var empty = new YamlMap([], firstLine, 1);
        var parser = new Parser(new StringReader(yaml));
        var stack = new Stack<Builder>();
        YamlNode? root = null;
        var documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                var line = (int)current.Start.Line + firstLine - 1;
                var column = (int)current.Start.Column;
                switch (current)
                {
                    case DocumentStart start when !start.IsImplicit || documents > 0:
                        if (++documents > 1)
                        {
                            errors.Add(new(path, line, column, "front matter must hold a single YAML document"));
                            return empty;
                        }
                        break;
                    case DocumentStart:
                        documents++;
                        break;
                    case AnchorAlias:
                        errors.Add(new(path, line, column, "YAML aliases (*name) are not allowed in front matter"));
                        return empty;
                    case NodeEvent node when !node.Anchor.IsEmpty:
                        errors.Add(new(path, line, column, "YAML anchors (&name) are not allowed in front matter"));
                        return empty;
                    case NodeEvent node when !node.Tag.IsEmpty && !node.Tag.IsNonSpecific:
                        errors.Add(new(path, line, column, $"YAML tags ({node.Tag}) are not allowed in front matter"));
                        return empty;
                    case Scalar scalar:
                        if (!Add(new YamlText(scalar.Value, scalar.Style == ScalarStyle.Plain, line, column)))
                            return empty;
                        break;
                    case SequenceStart or MappingStart:
                        if (stack.Count >= MaxDepth)
                        {
                            errors.Add(new(path, line, column, $"front matter is nested deeper than {MaxDepth} levels"));
                            return empty;
                        }
                        stack.Push(new Builder(current is MappingStart, line, column));
                        break;
                    case SequenceEnd or MappingEnd:
                        if (!Add(stack.Pop().Build()))
                            return empty;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not YamlException and not OutOfMemoryException)
        {
            // YamlDotNet occasionally fails on malformed input with something other than a YamlException.
            errors.Add(new(path, firstLine, 1, "invalid YAML: the front matter could not be parsed"));
            return empty;
        }
        catch (YamlException ex)
        {
            // YamlDotNet's Start is where the enclosing construct began; End is where the parser gave up, which is what an admin needs.
            var line = (int)ex.End.Line + firstLine - 1;
            errors.Add(new(path, Math.Max(line, firstLine), Math.Max((int)ex.End.Column, 1), CleanMessage(ex)));
            return empty;
        }

        return root switch
        {
            null => empty,
            YamlMap map => map,
            YamlText { Value: "", IsPlain: true } => empty,
            _ => Fail(root, "front matter must be a mapping of keys to values"),
        };

        YamlMap Fail(YamlNode at, string message)
        {
            errors.Add(new(path, at.Line, at.Column, message));
            return empty;
        }

        bool Add(YamlNode node)
        {
            if (stack.Count == 0)
            {
                root = node;
                return true;
            }
            var parent = stack.Peek();
            if (!parent.IsMap)
            {
                parent.Items.Add(node);
                return true;
            }
            if (parent.PendingKey is null)
            {
                if (node is not YamlText key)
                {
                    errors.Add(new(path, node.Line, node.Column, "keys must be plain text"));
                    return false;
                }
                if (parent.Entries.Any(e => e.Key.Value == key.Value))
                {
                    errors.Add(new(path, key.Line, key.Column, $"duplicate key '{key.Value}'"));
                    return false;
                }
                parent.PendingKey = key;
                return true;
            }
            parent.Entries.Add(new(parent.PendingKey, node));
            parent.PendingKey = null;
            return true;
        }
    }

    // YamlDotNet prefixes its messages with the positions, which our own format already carries.
    private static string CleanMessage(YamlException ex)
    {
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0)
            message = message[(marker + 3)..];
        return "invalid YAML: " + message.Trim();
    }

    private sealed class Builder(bool isMap, int line, int column)
    {
        public bool IsMap { get; } = isMap;
        public List<YamlNode> Items { get; } = [];
        public List<KeyValuePair<YamlText, YamlNode>> Entries { get; } = [];
        public YamlText? PendingKey { get; set; }

        public YamlNode Build() => IsMap ? new YamlMap(Entries, line, column) : new YamlList(Items, line, column);
    }
}
