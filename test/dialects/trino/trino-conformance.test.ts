// Trino's documented examples through the twin's Trino translation: each passes or is refused, none differs.
import { prepareTrinoSession } from '../../../local/sql/trino/session';
import { translateTrino } from '../../../local/sql/trino/translate';
import { describeConformance } from '../conformance';
import { TRINO_FACTS } from './facts';

describeConformance(
  'Trino conformance (documented examples)',
  TRINO_FACTS,
  (db) => prepareTrinoSession(db.connection),
  translateTrino,
);
