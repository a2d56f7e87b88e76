import { describeSqlContract } from '../sql/sql-database.contract.js';
import { openSqlite } from './database.js';
import { SqliteSql } from './sqlite-sql.js';

describeSqlContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return {
    sql: new SqliteSql(db),
    close: async () => {
      db.close();
    },
  };
});
