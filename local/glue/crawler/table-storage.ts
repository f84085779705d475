// The SerDe, input/output formats and table parameters a crawler records for a table of one file format.
import type * as Glue from '@aws-sdk/client-glue';
import type { CsvDialect, FileAnalysis, FileFormat } from './crawl-analyze';

const SERDE = {
  lazy: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
  openCsv: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
  json: 'org.openx.data.jsonserde.JsonSerDe',
  parquet: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
};
const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
const PARQUET_INPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
const PARQUET_OUTPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';

/** The SerDe, formats and CSV table parameters for a table of `format`, from its files' dialects. */
export function storageFor(
  format: FileFormat,
  files: { analysis: FileAnalysis }[],
  columns: Glue.Column[],
  location: string,
): { sd: Glue.StorageDescriptor; tableParameters: Record<string, string> } {
  const base = {
    Columns: columns,
    Location: location,
    Compressed: false,
    NumberOfBuckets: -1,
    BucketColumns: [],
    SortColumns: [],
    StoredAsSubDirectories: false,
  };
  if (format === 'parquet') {
    return {
      sd: {
        ...base,
        InputFormat: PARQUET_INPUT,
        OutputFormat: PARQUET_OUTPUT,
        SerdeInfo: { SerializationLibrary: SERDE.parquet, Parameters: { 'serialization.format': '1' } },
      },
      tableParameters: {},
    };
  }
  if (format === 'json') {
    return {
      sd: {
        ...base,
        InputFormat: TEXT_INPUT,
        OutputFormat: TEXT_OUTPUT,
        SerdeInfo: {
          SerializationLibrary: SERDE.json,
          Parameters: { paths: columns.map((c) => c.Name).join(',') },
        },
      },
      tableParameters: {},
    };
  }
  const dialects = files
    .map((f) => (f.analysis.readable ? f.analysis.csv : undefined))
    .filter((d): d is CsvDialect => d !== undefined);
  const first = dialects[0] ?? { delimiter: ',', quote: '', escape: '', hasHeader: true, encoding: 'UTF-8' };
  const quote = dialects.find((d) => d.quote !== '')?.quote ?? '';
  const hasHeader = dialects.filter((d) => d.hasHeader).length * 2 >= dialects.length;
  const latin1 = dialects.some((d) => d.encoding === 'ISO-8859-1');
  const encoding: Record<string, string> = latin1 ? { 'serialization.encoding': 'ISO-8859-1' } : {};
  // Quoted fields need OpenCSVSerde (as Glue's CSV classifier decides); plain text keeps LazySimpleSerDe.
  const serde: Glue.SerDeInfo =
    quote !== ''
      ? {
          SerializationLibrary: SERDE.openCsv,
          Parameters: {
            separatorChar: first.delimiter,
            quoteChar: quote,
            // RFC 4180 doubles the quote to escape it; record that rather than OpenCSVSerde's backslash default.
            escapeChar: dialects.find((d) => d.escape !== '')?.escape ?? quote,
            ...encoding,
          },
        }
      : {
          SerializationLibrary: SERDE.lazy,
          Parameters: { 'field.delim': first.delimiter, 'serialization.format': first.delimiter, ...encoding },
        };
  return {
    sd: { ...base, InputFormat: TEXT_INPUT, OutputFormat: TEXT_OUTPUT, SerdeInfo: serde },
    tableParameters: {
      delimiter: first.delimiter,
      areColumnsQuoted: String(quote !== ''),
      columnsOrdered: 'true',
      ...(hasHeader ? { 'skip.header.line.count': '1' } : {}),
    },
  };
}
