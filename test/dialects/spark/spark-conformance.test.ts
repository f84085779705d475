// Spark SQL's documented examples through the twin's Spark translation: each passes or is refused, none differs.
import { prepareSparkSession, translateSpark } from '../../../local/sql/spark/translate';
import { describeConformance } from '../conformance';
import { SPARK_FACTS } from './facts';

describeConformance(
  'Spark SQL conformance (documented examples)',
  SPARK_FACTS,
  (db) => prepareSparkSession(db.connection),
  translateSpark,
);
