using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli
{
    /// <summary>
    /// The CLI's table output (awscli's TableFormatter and MultiTable): a titled box per object or list, nested ones
    /// drawn inside their parent's borders, scalar members as a header row over a value row, or as name/value rows
    /// when a one-row section would not fit in 80 columns.
    /// </summary>
    internal static class TableFormat
    {
        private const int TerminalWidth = 80;

        private sealed class Section
        {
            public string Title;
            public int Indent;
            public List<string> Headers = new List<string>();
            public List<List<string>> Rows = new List<List<string>>();
            public int Columns => Math.Max(Headers.Count, Rows.Count == 0 ? 0 : Rows.Max(r => r.Count));
        }

        public static string Format(JToken document, string title)
        {
            var sections = new List<Section>();
            Build(sections, title, document, 0);
            if (sections.Count == 0) return string.Empty;
            if (sections.Any(s => NaturalWidth(s) > TerminalWidth))
                foreach (Section section in sections.Where(s => s.Rows.Count == 1 && s.Headers.Count > 0).ToList())
                {
                    section.Rows = section.Headers.Zip(section.Rows[0], (h, v) => new List<string> { h, v }).ToList();
                    section.Headers = new List<string>();
                }
            int width = sections.Max(NaturalWidth);
            var output = new StringBuilder();
            output.Append(new string('-', width)).Append('\n');
            foreach (Section section in sections) Render(section, width, output);
            return output.ToString();
        }

        private static void Build(List<Section> sections, string title, JToken current, int indent)
        {
            if (current == null || !current.HasValues && current is JContainer || current.Type == JTokenType.Null) return;
            Section section = null;
            if (title != null) sections.Add(section = new Section { Title = title, Indent = indent });
            Section Current() => section ?? (sections.Count > 0 ? sections[sections.Count - 1] : AddUntitled(sections, indent));
            if (current is JArray list)
            {
                if (list[0] is JObject)
                {
                    List<string> headers = list.OfType<JObject>().SelectMany(o => o.Properties()).Where(p => IsScalar(p.Value)).Select(p => p.Name)
                        .Distinct().OrderBy(h => h, StringComparer.Ordinal).ToList();
                    List<string> more = list.OfType<JObject>().SelectMany(o => o.Properties()).Where(p => !IsScalar(p.Value)).Select(p => p.Name)
                        .Distinct().OrderBy(h => h, StringComparer.Ordinal).ToList();
                    Section target = Current();
                    target.Headers = headers;
                    bool first = true;
                    foreach (JObject element in list.OfType<JObject>())
                    {
                        if (!first && more.Count > 0)
                        {
                            sections.Add(target = new Section { Title = title, Indent = indent, Headers = headers });
                        }
                        first = false;
                        target.Rows.Add(headers.Select(h => element[h] == null ? string.Empty : CliOutput.PythonString(element[h])).ToList());
                        foreach (string name in more)
                            if (element[name] != null) Build(sections, name, element[name], indent + 1);
                    }
                }
                else
                {
                    foreach (JToken item in list)
                    {
                        if (IsScalar(item)) Current().Rows.Add(new List<string> { CliOutput.PythonString(item) });
                        else if (item is JArray inner && inner.All(IsScalar)) Current().Rows.Add(inner.Select(CliOutput.PythonString).ToList());
                        else Build(sections, null, item, indent);
                    }
                }
            }
            else if (current is JObject map)
            {
                List<string> headers = map.Properties().Where(p => IsScalar(p.Value)).Select(p => p.Name).OrderBy(h => h, StringComparer.Ordinal).ToList();
                List<string> more = map.Properties().Where(p => !IsScalar(p.Value)).Select(p => p.Name).OrderBy(h => h, StringComparer.Ordinal).ToList();
                if (headers.Count == 1)
                    Current().Rows.Add(new List<string> { headers[0], CliOutput.PythonString(map[headers[0]]) });
                else if (headers.Count > 1)
                {
                    Section target = Current();
                    target.Headers = headers;
                    target.Rows.Add(headers.Select(h => CliOutput.PythonString(map[h])).ToList());
                }
                foreach (string name in more) Build(sections, name, map[name], indent + 1);
            }
        }

        private static Section AddUntitled(List<Section> sections, int indent)
        {
            var section = new Section { Indent = indent };
            sections.Add(section);
            return section;
        }

        private static int[] ColumnWidths(Section section)
        {
            var widths = new int[section.Columns];
            for (int i = 0; i < widths.Length; i++)
            {
                int header = i < section.Headers.Count ? section.Headers[i].Length : 0;
                int cells = section.Rows.Select(r => i < r.Count ? r[i].Length : 0).DefaultIfEmpty(0).Max();
                widths[i] = Math.Max(header, cells) + 4; // two spaces either side
            }
            return widths;
        }

        private static int NaturalWidth(Section section)
        {
            int[] columns = ColumnWidths(section);
            int content = columns.Sum() + Math.Max(0, columns.Length - 1);
            int titled = (section.Title?.Length ?? 0) + 4;
            return Math.Max(content, titled) + 2 * (section.Indent + 1);
        }

        private static void Render(Section section, int width, StringBuilder output)
        {
            string left = new string('|', section.Indent + 1), right = left;
            int inner = width - 2 * (section.Indent + 1);
            int[] columns = Stretch(ColumnWidths(section), inner);
            string rule = (section.Indent == 0 ? "+" : new string('|', section.Indent) + "+") +
                          string.Join("+", columns.Select(c => new string('-', c))) +
                          (section.Indent == 0 ? "+" : "+" + new string('|', section.Indent));
            if (section.Title != null)
                output.Append(left).Append(Center(section.Title, inner)).Append(right).Append('\n');
            // One rule under the title, split where the columns are.
            if (section.Title != null || section.Headers.Count > 0 || section.Rows.Count > 0 && columns.Length > 1)
                output.Append(section.Rows.Count > 0 ? rule : Rule(section.Indent, inner)).Append('\n');
            if (section.Headers.Count > 0)
            {
                output.Append(left).Append(string.Join("|", section.Headers.Select((h, i) => Center(h, columns[i])))).Append(right).Append('\n');
                output.Append(rule).Append('\n');
            }
            foreach (List<string> row in section.Rows)
                output.Append(left).Append(string.Join("|", columns.Select((c, i) => ("  " + (i < row.Count ? row[i] : string.Empty)).PadRight(c)))).Append(right).Append('\n');
            if (section.Rows.Count > 0) output.Append(rule).Append('\n');
        }

        private static string Rule(int indent, int inner) =>
            (indent == 0 ? "+" : new string('|', indent) + "+") + new string('-', inner) + (indent == 0 ? "+" : "+" + new string('|', indent));

        private static int[] Stretch(int[] columns, int total)
        {
            if (columns.Length == 0) return new[] { total };
            int used = columns.Sum() + columns.Length - 1;
            var stretched = (int[])columns.Clone();
            stretched[stretched.Length - 1] += Math.Max(0, total - used);
            return stretched;
        }

        private static string Center(string text, int width)
        {
            int space = Math.Max(0, width - text.Length);
            return new string(' ', space / 2) + text + new string(' ', space - space / 2);
        }

        private static bool IsScalar(JToken token) => !(token is JContainer);
    }
}
