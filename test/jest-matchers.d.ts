// Brings the aws-sdk-client-mock-jest matchers (registered in jest.config.cjs setupFilesAfterEnv) into the types.
import 'aws-sdk-client-mock-jest';
