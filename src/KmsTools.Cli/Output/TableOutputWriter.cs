using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace KmsTools.Cli.Output
{
    /// <summary>
    /// --output table, as the CLI's TableFormatter lays a response out (awscli/formatter.py): a titled section per
    /// object or list of objects, nested ones drawn inside their parent's borders; an object's scalars as a header row
    /// over a value row; each list of objects as one header row over a row per element.
    /// The CLI fits the table to the terminal; piped, it assumes 80 columns, and so does this writer, so that what a
    /// script captures is the same on every machine.
    /// </summary>
    public sealed class TableOutputWriter : CliOutputWriter
    {
        private const int TerminalWidth = 80;

        public override string Name => "table";

        public override string Write(JToken document, string operation)
        {
            var table = new TableLayout(TerminalWidth);
            return Build(table, operation, document, 0) ? table.Render() : string.Empty;
        }

        private static bool Build(TableLayout table, string title, JToken current, int indent)
        {
            if (!PythonTruthy(current)) return false;
            if (title != null) table.NewSection(title, indent);
            if (current is JArray list)
            {
                if (list[0] is JObject) BuildFromListOfObjects(table, list, indent, title);
                else
                    foreach (JToken item in list)
                    {
                        if (IsScalar(item)) table.AddRow(new[] { PythonString(item) });
                        // A container whose members are all scalars is one row. An object iterates as its keys,
                        // so the CLI prints an object here as a row of its member names.
                        else if (item is JObject keys) table.AddRow(keys.Properties().Select(p => p.Name).ToArray());
                        else if (item.All(IsScalar)) table.AddRow(item.Select(PythonString).ToArray());
                        else Build(table, null, item, 0);
                    }
            }
            if (current is JObject map) BuildFromObject(table, map, indent);
            return true;
        }

        private static void BuildFromObject(TableLayout table, JObject current, int indent)
        {
            Split(current, out List<string> headers, out List<string> more);
            if (headers.Count == 1) table.AddRow(new[] { headers[0], PythonString(current[headers[0]]) });
            else if (headers.Count > 1)
            {
                table.AddHeader(headers);
                table.AddRow(headers.Select(h => PythonString(current[h])).ToArray());
            }
            foreach (string name in more) Build(table, name, current[name], indent + 1);
        }

        private static void BuildFromListOfObjects(TableLayout table, JArray current, int indent, string title)
        {
            var headerSet = new SortedSet<string>(System.StringComparer.Ordinal);
            var moreSet = new SortedSet<string>(System.StringComparer.Ordinal);
            foreach (JToken item in current)
            {
                if (!(item is JObject element)) throw Unprintable("a list mixes objects and other values");
                Split(element, out List<string> headers, out List<string> more);
                headerSet.UnionWith(headers);
                moreSet.UnionWith(more);
            }
            List<string> header = headerSet.ToList();
            table.AddHeader(header);
            bool first = true;
            foreach (JObject element in current.Cast<JObject>())
            {
                if (!first && moreSet.Count > 0)
                {
                    table.NewSection(title, indent);
                    table.AddHeader(header);
                }
                first = false;
                table.AddRow(header.Select(h => element[h] == null ? string.Empty : PythonString(element[h])).ToArray());
                foreach (string name in moreSet)
                    if (element[name] != null) Build(table, name, element[name], indent + 1);
            }
        }

        /// <summary>An object's member names, scalars and the rest apart, each sorted.</summary>
        private static void Split(JObject current, out List<string> scalars, out List<string> more)
        {
            scalars = current.Properties().Where(p => IsScalar(p.Value)).Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToList();
            more = current.Properties().Where(p => !IsScalar(p.Value)).Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        }

        internal static KmsException Unprintable(string why) =>
            new KmsException(KmsErrorCodes.Validation, $"The table format cannot show this result ({why}); use -Output json or text.", "Output");

        private static bool IsScalar(JToken token) => !(token is JContainer);
    }
}
