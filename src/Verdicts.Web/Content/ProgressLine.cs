namespace Verdicts.Web.Content;

/// <summary>
/// One line a long command keeps rewriting on the terminal: nothing for the first second, nothing at all when the
/// output is not a terminal (piped, or under a test), and wiped when the command is done.
/// </summary>
public sealed class ProgressLine : IDisposable
{
    private static readonly TimeSpan ShowAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly TextWriter output;
    private readonly bool isTerminal;
    private readonly TimeProvider time;
    private readonly DateTimeOffset started;
    private readonly Lock gate = new();
    private ITimer? timer;
    // How much of the line the progress has covered, all of which the end wipes.
    private int width;
    private bool done;

    public ProgressLine(TextWriter output, bool isTerminal, TimeProvider time)
    {
        this.output = output;
        this.isTerminal = isTerminal;
        this.time = time;
        started = time.GetUtcNow();
    }

    /// <summary>Shows <paramref name="describe"/> a few times a second, from a timer, until disposed.</summary>
    public static ProgressLine Start(TextWriter output, bool isTerminal, TimeProvider time, Func<string> describe)
    {
        var line = new ProgressLine(output, isTerminal, time);
        if (isTerminal)
            line.timer = time.CreateTimer(_ => line.Show(describe()), null, Interval, Interval);
        return line;
    }

    public void Show(string text)
    {
        lock (gate)
        {
            if (!isTerminal || done || time.GetUtcNow() - started <= ShowAfter)
                return;
            // The cursor goes back to the start of the line after the text, not before it: a log line written meanwhile
            // then covers the progress instead of being appended to it, and the next progress goes on the line below.
            output.Write(text.PadRight(width) + "\r");
            output.Flush();
            width = Math.Max(width, text.Length);
        }
    }

    public void Dispose()
    {
        // A tick already under way may still come; once done, it writes nothing.
        timer?.Dispose();
        lock (gate)
        {
            done = true;
            if (width == 0)
                return;
            output.Write(new string(' ', width) + "\r");
            output.Flush();
            width = 0;
        }
    }
}
