using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace KmsTools.Cli.Output
{
    /// <summary>
    /// The CLI's MultiTable (awscli/table.py): sections of rows that share the width of the widest, each drawn with
    /// borders one level deeper than its parent's; when the table is wider than the terminal, every one-row section
    /// with a header row turns into name/value rows. Widths are display widths (East Asian wide characters count two).
    /// </summary>
    internal sealed class TableLayout
    {
        private const int Padding = 4;
        private readonly int _terminalWidth;
        private readonly List<Section> _sections = new List<Section>();
        private Section _current;

        public TableLayout(int terminalWidth) => _terminalWidth = terminalWidth;

        public void NewSection(string title, int indent)
        {
            _current = new Section { Title = title, Indent = indent };
            _sections.Add(_current);
        }

        public void AddHeader(IList<string> headers) => Current.AddHeader(headers);

        public void AddRow(IList<string> row) => Current.AddRow(row);

        // A row added before any section would fail in the CLI too; it can't happen from Build, which titles the first section.
        private Section Current => _current ?? throw TableOutputWriter.Unprintable("a row outside any section");

        public string Render()
        {
            int width = MaxWidth();
            if (width > _terminalWidth)
            {
                for (int i = 0; i < _sections.Count; i++)
                    if (_sections[i].Rows.Count == 1 && _sections[i].Headers.Count > 0) _sections[i] = _sections[i].Vertical();
                width = MaxWidth();
            }
            var output = new StringBuilder();
            output.Append('-', width).Append('\n');
            foreach (Section section in _sections) section.Render(width, output);
            return output.ToString();
        }

        private int MaxWidth() => _sections.Max(s => s.TotalWidth());

        private sealed class Section
        {
            /// <summary>Null where the CLI's title is None: not drawn, but measured as the four letters of "None".</summary>
            public string Title = string.Empty;
            public int Indent;
            public List<string> Headers = new List<string>();
            public readonly List<string[]> Rows = new List<string[]>();
            private int? _columns;
            private List<int> _maxWidths = new List<int>();

            public void AddHeader(IList<string> headers)
            {
                UpdateMaxWidths(headers);
                if (_columns == null) _columns = headers.Count;
                Headers = headers.ToList();
            }

            public void AddRow(IList<string> row)
            {
                if (_columns == null) _columns = row.Count;
                if (row.Count != _columns) throw TableOutputWriter.Unprintable($"a row of {row.Count} cells where its section has {_columns}");
                Rows.Add(row.ToArray());
                UpdateMaxWidths(row);
            }

            private void UpdateMaxWidths(IList<string> row)
            {
                if (_maxWidths.Count == 0) { _maxWidths = row.Select(EastAsianWidth.Of).ToList(); return; }
                if (row.Count > _maxWidths.Count) throw TableOutputWriter.Unprintable("a header row wider than its section's rows");
                for (int i = 0; i < row.Count; i++) _maxWidths[i] = Math.Max(EastAsianWidth.Of(row[i]), _maxWidths[i]);
            }

            public Section Vertical()
            {
                var vertical = new Section { Title = Title, Indent = Indent };
                for (int i = 0; i < Headers.Count && i < Rows[0].Length; i++) vertical.AddRow(new[] { Headers[i], Rows[0][i] });
                return vertical;
            }

            public int TotalWidth()
            {
                int total = _maxWidths.Sum(w => w + Padding) + 2 + 2 * Indent;
                return Math.Max(EastAsianWidth.Of(Title ?? "None") + 2 + 2 * Indent, total);
            }

            /// <summary>Column widths scaled to fill the section, rounded half to even and then trimmed to the exact total, as the CLI does.</summary>
            private int[] ColumnWidths(int maxWidth)
            {
                int[] unscaled = _maxWidths.Select(w => w + Padding).ToArray();
                if (unscaled.Length == 0) return unscaled;
                double scale = maxWidth / (double)unscaled.Sum();
                int[] scaled = unscaled.Select(w => (int)Math.Round(scale * w, MidpointRounding.ToEven)).ToArray();
                int offBy = scaled.Sum() - maxWidth;
                while (offBy != 0)
                {
                    bool shrink = offBy > 0;
                    for (int k = 0; k < scaled.Length && offBy != 0; k++)
                    {
                        int i = shrink ? k : scaled.Length - 1 - k;
                        if (shrink) { scaled[i]--; offBy--; }
                        else { scaled[i]++; offBy++; }
                    }
                }
                return scaled;
            }

            public void Render(int tableWidth, StringBuilder output)
            {
                int width = tableWidth - 2 * Indent;
                if (!string.IsNullOrEmpty(Title))
                {
                    Line(output, CenterText(Title, width, "|", "|"));
                    if (Headers.Count == 0 && Rows.Count == 0) Line(output, "+" + new string('-', width - 2) + "+");
                }
                if (Headers.Count > 0)
                {
                    int[] widths = ColumnWidths(width);
                    var line = new StringBuilder();
                    for (int i = 0; i < widths.Length && i < Headers.Count; i++) line.Append(CenterText(Headers[i], widths[i], i == 0 ? "|" : "", "|"));
                    Line(output, LineBreak(widths));
                    Line(output, line.ToString());
                }
                if (Rows.Count > 0)
                {
                    int[] widths = ColumnWidths(width);
                    if (widths.Length == 0) return;
                    Line(output, LineBreak(widths));
                    foreach (string[] row in Rows)
                    {
                        var line = new StringBuilder();
                        for (int i = 0; i < widths.Length && i < row.Length; i++) line.Append(AlignLeft(row[i], widths[i], i == 0 ? "|" : "", "|"));
                        Line(output, line.ToString());
                    }
                    Line(output, LineBreak(widths));
                }
            }

            /// <summary>One line inside the borders of every enclosing section.</summary>
            private void Line(StringBuilder output, string text) =>
                output.Append('|', Indent).Append(text).Append('|', Indent).Append('\n');

            private static string LineBreak(int[] widths) =>
                string.Concat(widths.Select((w, i) => i == 0 ? "+" + new string('-', Math.Max(0, w - 2)) + "+" : new string('-', Math.Max(0, w - 1)) + "+"));

            // The CLI's arithmetic, negative counts included (Python repeats a string a negative number of times as "").
            private static string CenterText(string text, int length, string leftEdge, string rightEdge)
            {
                int textLength = EastAsianWidth.Of(text);
                int start = length / 2 - textLength / 2 - 1;
                int soFar = leftEdge.Length + start + textLength;
                int right = length - rightEdge.Length - soFar;
                return leftEdge + Spaces(start) + text + Spaces(right) + rightEdge;
            }

            private static string AlignLeft(string text, int length, string leftEdge, string rightEdge)
            {
                int textLength = EastAsianWidth.Of(text);
                int padding = length - (textLength + 2 + leftEdge.Length + rightEdge.Length) >= 0 ? 2 : 0;
                int soFar = leftEdge.Length + padding + textLength;
                return leftEdge + Spaces(padding) + text + Spaces(length - soFar - rightEdge.Length) + rightEdge;
            }

            private static string Spaces(int count) => count > 0 ? new string(' ', count) : string.Empty;
        }
    }
}
